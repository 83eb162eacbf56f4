//! View pieces several pages share, rendered on the server only: the frame of every page,
//! the loader of an episode's pages, the narratives, a refusal shown in place, radio choices
//! and the request for a new staffing. The few pieces the browser runs are islands, under
//! `crate::live`.

pub mod choices;
pub mod layout;
pub mod narratives;
pub mod new_staffing;
pub mod paging;
pub mod refused;
pub mod with_episode;
