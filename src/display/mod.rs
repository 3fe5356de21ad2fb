//! The calling display (`kiosk display`): the hall's wall screen and, where configured, its
//! speakers. `board` decides what is shown and announced (pure); `feed` runs the threads that
//! follow the hall host and feed the board; the window itself is `ui::display`.

pub mod board;
pub mod feed;

pub use board::{Board, BoardCall, Input, Link};
