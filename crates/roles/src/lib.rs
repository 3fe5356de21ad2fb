//! The rules of the staff roles' screens, without a window: each module is fed the hall's views
//! or events and the time, and decides what the screen shows and allows. The windows that use
//! them are in the binary's `ui` folder; the core's rules (queue, screening) are below this crate
//! and the contract's views beside it.

pub mod console;
pub mod display_board;
pub mod rating;
