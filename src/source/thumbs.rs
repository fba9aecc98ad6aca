//! Thumbnails: each daily item's picture, fetched once (only over https
//! from a Hugging Face host, or from the configured endpoint's host), size
//! capped, and cached on disk under `DATA_DIR/thumbnails/`, named by a
//! hash of the paper id (an id from the network never names a file).

use crate::domain::model::{Paper, PaperId};
use crate::source::Client;
use std::path::{Path, PathBuf};

/// The largest picture fetched or read from the cache.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// Where a paper's thumbnail is cached.
pub fn cache_path(data_dir: &Path, id: &PaperId) -> PathBuf {
    let key = crate::domain::hash::fnv1a(crate::domain::hash::FNV_OFFSET, id.as_str().as_bytes());
    data_dir.join("thumbnails").join(format!("{key:016x}.png"))
}

/// The cached picture, if any (and not over the cap).
pub fn cached(data_dir: &Path, id: &PaperId) -> Option<Vec<u8>> {
    let path = cache_path(data_dir, id);
    let len = std::fs::metadata(&path).ok()?.len();
    if len as usize > MAX_IMAGE_BYTES {
        return None;
    }
    std::fs::read(path).ok()
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
