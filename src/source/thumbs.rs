//! Thumbnails: each daily item's picture, fetched once (only over https
//! from a Hugging Face host, or from the configured endpoint's host), size
//! capped, and cached on disk under `DATA_DIR/thumbnails/`, named by a
//! hash of the paper id (an id from the network never names a file).
//! A picture is judged by its header before it is decoded: one over
//! [`MAX_SIDE`] pixels a side is refused (a 345 KB PNG can decode to 400
//! MB), and a large one is scaled down to [`KEPT_SIDE`] here, off the
//! screen's thread, so drawing it costs milliseconds.

use crate::domain::model::{Paper, PaperId};
use crate::source::Client;
use std::path::{Path, PathBuf};

/// The largest picture fetched or read from the cache.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// The widest and tallest picture decoded.
pub const MAX_SIDE: u32 = 4096;

/// Pictures are kept at most this wide and tall: more than a terminal
/// pane shows even with a graphics protocol.
pub const KEPT_SIDE: u32 = 1024;

/// A picture's width and height, read from its header alone.
pub fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// The picture as it is kept: refused over [`MAX_SIDE`], scaled down to
/// [`KEPT_SIDE`] (as a PNG) when larger than that.
pub fn fit(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let (w, h) = dimensions(&bytes).ok_or("its thumbnail is not a picture")?;
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!(
            "its thumbnail is {w}x{h} pixels, more than the {MAX_SIDE}x{MAX_SIDE} hfpapers draws; not shown"
        ));
    }
    if w <= KEPT_SIDE && h <= KEPT_SIDE {
        return Ok(bytes);
    }
    let mut reader = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let small = reader
        .decode()
        .map_err(|e| format!("its thumbnail could not be read: {e}"))?
        .thumbnail(KEPT_SIDE, KEPT_SIDE);
    let mut out = std::io::Cursor::new(Vec::new());
    small
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// Where a paper's thumbnail is cached.
pub fn cache_path(data_dir: &Path, id: &PaperId) -> PathBuf {
    let key = crate::domain::hash::fnv1a(crate::domain::hash::FNV_OFFSET, id.as_str().as_bytes());
    crate::store::layout::DataDir::new(data_dir)
        .thumbnails()
        .join(format!("{key:016x}.png"))
}

/// The cached picture, if any (and not over the cap).
pub fn cached(data_dir: &Path, id: &PaperId) -> Option<Vec<u8>> {
    let path = cache_path(data_dir, id);
    let len = std::fs::metadata(&path).ok()?.len();
    if len as usize > MAX_IMAGE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    // A cache written before pictures were fitted may hold a large one.
    dimensions(&bytes)
        .is_some_and(|(w, h)| w <= KEPT_SIDE && h <= KEPT_SIDE)
        .then_some(bytes)
}

/// The paper's picture: from the cache, else fetched and cached. Says why
/// when there is none.
pub async fn thumbnail(client: &Client, data_dir: &Path, paper: &Paper) -> Result<Vec<u8>, String> {
    if let Some(bytes) = cached(data_dir, &paper.id) {
        return Ok(bytes);
    }
    let url = paper
        .thumbnail
        .as_deref()
        .ok_or("the paper has no thumbnail")?;
    let url = client
        .image_url(url)
        .ok_or_else(|| "its thumbnail is not on a Hugging Face host; not fetched".to_string())?;
    let bytes = client
        .image(&url, MAX_IMAGE_BYTES)
        .await
        .map_err(|e| e.to_string())?;
    let bytes = tokio::task::spawn_blocking(move || fit(bytes))
        .await
        .map_err(|e| e.to_string())??;
    let path = cache_path(data_dir, &paper.id);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    // A cache: a write that fails costs a fetch next time, nothing else.
    let tmp = path.with_extension("png.tmp");
    if std::fs::write(&tmp, &bytes).is_ok() {
        let _ = std::fs::rename(&tmp, &path);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// A PNG whose header says `w` x `h` (its pixels are a 1x1 image's:
    /// the header is all that may be read of it).
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        fn crc(bytes: &[u8]) -> u32 {
            let mut c = !0u32;
            for b in bytes {
                c ^= u32::from(*b);
                for _ in 0..8 {
                    c = if c & 1 == 1 {
                        0xedb8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        let mut bytes = png(1, 1);
        // The signature (8), the IHDR length (4), "IHDR" (4), then width
        // and height, and the chunk's CRC over type and data after them.
        bytes[16..20].copy_from_slice(&w.to_be_bytes());
        bytes[20..24].copy_from_slice(&h.to_be_bytes());
        let sum = crc(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&sum.to_be_bytes());
        bytes
    }

    #[test]
    fn a_picture_too_large_to_decode_is_refused_from_its_header_and_a_large_one_scaled_down() {
        let huge = png_claiming(11_000, 11_000);
        assert_eq!(dimensions(&huge), Some((11_000, 11_000)));
        let err = fit(huge).unwrap_err();
        assert!(
            err.contains("11000x11000") && err.contains("4096x4096"),
            "{err}"
        );
        let fitted = fit(png(3000, 1500)).unwrap();
        assert_eq!(dimensions(&fitted), Some((1024, 512)));
        let small = png(300, 200);
        assert_eq!(fit(small.clone()).unwrap(), small, "kept as sent");
    }
}
