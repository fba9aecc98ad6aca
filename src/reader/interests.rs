//! The reader's interests, kept in its config file: `+` follows, `x`
//! mutes a For you reason for good, and the follows and mutes read again
//! when a command handed over edited the file. The config file is the
//! reader's (the command line edits it through `hfpapers follow` and
//! `mute`); the library is told the interests views are computed with.

use super::effects::Effects;
use crate::app::{Action, Effect, Outcome};
use std::sync::Arc;

impl Effects {
    /// The follows and mutes as the config file has them now, when they
    /// changed (a command handed over may have edited it).
    fn reload_interests(&self) -> Option<Action> {
        let path = self.setup.config_path.as_deref().filter(|p| p.exists())?;
        let interests = Arc::new(crate::platform::config::load(Some(path)).ok()?.interests());
        if interests == self.lib.index.interests() {
            return None;
        }
        self.lib.index.set_interests(interests.clone());
        Some(Action::Done(Outcome::InterestsChanged(interests)))
    }

    /// `+`: the follow into the config file, then into every view.
    fn follow(&self, query: &str) -> Action {
        let Some(path) = &self.setup.config_path else {
            return Action::Done(Outcome::Failed(
                "no config file to keep the follow in (no config directory on this system)".into(),
            ));
        };
        let old = self.lib.index.interests();
        let mut follows = old.follows.clone();
        follows.push(query.to_string());
        let interests = match crate::domain::interests::Interests::new(follows, old.mutes.clone()) {
            Ok(mut i) => {
                i.foryou_mute.clone_from(&old.foryou_mute);
                Arc::new(i)
            }
            Err(e) => return Action::Done(Outcome::Failed(format!("cannot follow {e}"))),
        };
        if let Err(e) = crate::platform::config::edit_list(path, ("follow", "queries"), query, true)
        {
            return Action::Done(Outcome::Failed(format!("could not follow {query}: {e}")));
        }
        self.lib.index.set_interests(interests.clone());
        let _ = self
            .tx
            .send(Action::Done(Outcome::InterestsChanged(interests)));
        Action::Done(Outcome::Notice(format!(
            "following {query}: its papers are flagged ! and gathered in the Following view (v); kept in {}",
            path.display()
        )))
    }

    /// `x`: the mute into the config file, then the taste learned again.
    fn mute(&self, name: &str) -> Action {
        let Some(path) = &self.setup.config_path else {
            return Action::Done(Outcome::Failed(
                "no config file to keep the mute in (no config directory on this system)".into(),
            ));
        };
        if let Err(e) = crate::platform::config::add_mute(path, name) {
            return Action::Done(Outcome::Failed(format!("could not mute {name}: {e}")));
        }
        if let Ok(feature) = crate::domain::taste::parse_feature(name) {
            self.lib.index.add_muted(feature);
        }
        self.learn_taste();
        Action::Done(Outcome::Notice(format!(
            "muted {name} for good (in {}); For you is ranked again",
            path.display()
        )))
    }

    /// The effects on the reader's interests: For you's taste and mutes,
    /// follows and mutes.
    pub(super) fn run_interests(&self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::MuteFeature(name) => Some(self.mute(&name)),
            Effect::Follow(query) => Some(self.follow(&query)),
            Effect::ReloadInterests => self.reload_interests(),
            Effect::LearnTaste => {
                self.learn_taste();
                None
            }
            _ => None,
        }
    }
}
