//! Small helpers every layer uses and that hold no domain knowledge: the clock, atomic file
//! writes, escaping, clipping and hashing. One implementation each, so a fix lands everywhere.

pub mod fs;
pub mod hash;
pub mod parallel;
pub mod text;
pub mod time;
