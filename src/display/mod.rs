//! The calling display (`kiosk display`): the hall's wall screen and, where configured, its
//! speakers. `kiosk_roles::display_board` decides what is shown and announced (pure); `feed` runs
//! the threads that follow the hall host and feed the board; the window itself is `ui::display`.

pub mod feed;
