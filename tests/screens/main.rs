//! The role screens' scenarios: Slint's testing backend (and, for one, the real window under
//! Xvfb), each scenario in a process of its own.
//!
//! Slint allows one platform per process (its event-loop proxy is process-wide), so libtest's
//! thread per test cannot hold two scenarios. This binary is its own harness: run without
//! `--scenario` it starts itself once per chosen scenario, one after another, and reports each as
//! libtest does; `--scenario NAME` runs that one on this process's main thread. One binary
//! instead of one per scenario is what keeps the test build short (each links the whole app).
//!
//! Understood: `cargo test --test screens [-- FILTER… | --exact | --skip F | --list |
//! --nocapture]`; libtest's other options are accepted and have no effect.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/console.rs"]
mod console;
#[path = "../common/hall.rs"]
mod hall;
#[path = "../common/mock_queue.rs"]
mod mock_queue;
#[path = "../common/rating.rs"]
mod rating;
#[path = "../common/ui.rs"]
mod ui;
#[path = "../common/x11.rs"]
mod x11;

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Declares each scenario's module and lists its one scenario function under `module::function`.
macro_rules! scenarios {
    ($($module:ident :: $function:ident),* $(,)?) => {
        $(mod $module;)*
        const SCENARIOS: &[Scenario] = &[$(Scenario {
            module: stringify!($module),
            name: concat!(stringify!($module), "::", stringify!($function)),
            run: $module::$function,
        }),*];
    };
}

scenarios! {
    accessible_tree::every_interactive_element_has_role_label_and_id,
    checklist_by_keys::after_the_last_checklist_item_the_keypad_reaches_continue_first,
    counter::a_clerk_serves_the_queue_by_keys_through_the_hall_host,
    counter_announced::errors_and_results_are_read_out_and_greyed_keys_say_why,
    counter_feed::another_terminals_changes_reach_the_console_through_the_feed,
    display::the_window_shows_calls_as_the_host_makes_them_and_the_host_going_away,
    evaluator::visitors_rate_in_their_own_language_and_low_ratings_need_a_reason,
    evaluator_keys::a_visitor_rates_by_keys_and_hears_each_face,
    help::help_returns_to_where_the_visitor_was,
    inactivity::inactivity_wipes_language_volume_and_answers,
    layout::no_control_is_cut_off_or_covered_and_no_text_cut_on_any_screenshot,
    out_of_service::out_of_service_sends_visitors_to_staff,
    paging::paging_buttons_bring_the_rest_of_a_long_list_into_view,
    preapp::a_pre_application_is_sent_from_the_result_screen,
    print_failure::a_failed_print_keeps_the_number_and_can_be_printed_again,
    privacy::back_decline_and_the_session_wipe_forget_the_phone_and_id_numbers,
    queue::the_screen_tells_each_kind_of_queue_answer_apart,
    right_to_left::uyghur_mirrors_yes_and_no_and_the_landscape_home_screen,
    screening::screening_wizard_leads_to_the_result_and_the_right_ticket,
    secondary_kiosk::tickets_stop_while_the_hall_host_is_away_and_come_back_by_themselves,
    speech::the_screens_speak_and_calls_are_announced,
    technician::technician_mode_from_the_corner_to_a_policy_import_and_back,
    technician_lockout::five_wrong_pins_lock_technician_mode_for_ten_minutes,
    technician_overlay::technician_mode_over_the_counter_console,
    ticket_by_keys::take_a_ticket_with_keys_only,
    ticket_by_touch::take_a_ticket_by_touch_in_each_language,
    two_windows::two_windows_on_one_thread_do_not_mix_speech_or_visitors,
    unsure::unsure_visitors_are_sent_to_staff,
    video::sign_language_video_plays_beside_the_question,
    xvfb::a_visitor_takes_a_ticket_in_the_real_window_by_clicks,
}

struct Scenario {
    module: &'static str,
    name: &'static str,
    run: fn(),
}

/// A scenario that has not finished in this time is stopped and counted as failed: a hung event
/// loop must not hang the whole test run.
const LONGEST: Duration = Duration::from_secs(300);

#[derive(Default)]
struct Options {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    list: bool,
    nocapture: bool,
    ignored_only: bool,
}

impl Options {
    fn parse(mut args: impl Iterator<Item = String>) -> Options {
        let mut o = Options::default();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--exact" => o.exact = true,
                "--list" => o.list = true,
                "--nocapture" | "--no-capture" | "--show-output" => o.nocapture = true,
                "--ignored" => o.ignored_only = true,
                "--skip" => o.skip.extend(args.next()),
                // libtest options with a value that mean nothing here.
                "--test-threads" | "--color" | "--format" | "--logfile" | "-Z" => {
                    args.next();
                }
                flag if flag.starts_with('-') => {}
                filter => o.filters.push(filter.to_owned()),
            }
        }
        o
    }

    fn chooses(&self, name: &str) -> bool {
        let matches = |f: &String| {
            if self.exact {
                name == f
            } else {
                name.contains(f.as_str())
            }
        };
        !self.ignored_only
            && (self.filters.is_empty() || self.filters.iter().any(matches))
            && !self.skip.iter().any(|s| name.contains(s.as_str()))
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    if let Some(first) = args.next() {
        if first == "--scenario" {
            return run_here(args.next().as_deref().unwrap_or_default());
        }
        return run_each(Options::parse(std::iter::once(first).chain(args)));
    }
    run_each(Options::default())
}

/// In the child: the scenario, which sets up the platform it needs (the testing backend, or the
/// screenshot renderer's). A failed assertion panics, and the exit status tells the parent.
fn run_here(name: &str) -> ExitCode {
    let Some(scenario) = SCENARIOS.iter().find(|s| s.name == name) else {
        eprintln!("no scenario is called {name}");
        return ExitCode::FAILURE;
    };
    (scenario.run)();
    ExitCode::SUCCESS
}

fn run_each(options: Options) -> ExitCode {
    let chosen: Vec<&Scenario> = SCENARIOS.iter().filter(|s| options.chooses(s.name)).collect();
    if options.list {
        for s in &chosen {
            println!("{}: test", s.name);
        }
        return ExitCode::SUCCESS;
    }
    let unlisted = unlisted_files();
    println!("\nrunning {} tests", chosen.len() + 1);
    let mut failed: Vec<&str> = Vec::new();
    if unlisted.is_empty() {
        println!("test every_scenario_file_is_listed ... ok");
    } else {
        println!("test every_scenario_file_is_listed ... FAILED");
        println!("not in `scenarios!` in tests/screens/main.rs, so never run: {unlisted:?}");
        failed.push("every_scenario_file_is_listed");
    }
    let started = Instant::now();
    for scenario in &chosen {
        if !run_child(scenario, options.nocapture) {
            failed.push(scenario.name);
        }
    }
    let passed = chosen.len() + 1 - failed.len();
    if !failed.is_empty() {
        println!("\nfailures:");
        for name in &failed {
            println!("    {name}");
        }
    }
    let verdict = if failed.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {verdict}. {passed} passed; {} failed; 0 ignored; 0 measured; {} filtered out; finished in {:.2}s\n",
        failed.len(),
        SCENARIOS.len() - chosen.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One scenario in a process of its own; its output is shown only when it fails (or asked for).
fn run_child(scenario: &Scenario, nocapture: bool) -> bool {
    let log = tempfile::tempfile().expect("a temporary file for the scenario's output");
    let mut command = Command::new(std::env::current_exe().expect("this test binary"));
    command.args(["--scenario", scenario.name]);
    if !nocapture {
        command
            .stdout(Stdio::from(log.try_clone().expect("the output file again")))
            .stderr(Stdio::from(log.try_clone().expect("the output file again")));
    }
    let child = command.spawn().expect("start the scenario's process");
    let pid = rustix::process::Pid::from_child(&child);
    let (done, ended) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut child = child;
        let _ = done.send(child.wait());
    });
    let status = match ended.recv_timeout(LONGEST) {
        Ok(waited) => Some(waited.expect("the scenario's process")),
        Err(_) => {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            None
        }
    };
    let ok = status.is_some_and(|s| s.success());
    println!("test {} ... {}", scenario.name, if ok { "ok" } else { "FAILED" });
    if !ok {
        show_output(log);
        match status {
            None => println!("stopped: still running after {} s", LONGEST.as_secs()),
            Some(s) => println!("the scenario's process ended with {s}"),
        }
    }
    ok
}

fn show_output(mut log: std::fs::File) {
    use std::io::{Read, Seek};
    let mut text = String::new();
    if log.rewind().is_ok() && log.read_to_string(&mut text).is_ok() {
        println!("---- output ----\n{text}");
    }
}

/// Scenario files that `scenarios!` does not name: they would compile into nothing and never run.
fn unlisted_files() -> Vec<String> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/screens");
    let Ok(entries) = std::fs::read_dir(&here) else {
        return vec![format!("cannot read {}", here.display())];
    };
    let mut unlisted: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|f| f.strip_suffix(".rs").map(str::to_owned))
        .filter(|m| m != "main" && !SCENARIOS.iter().any(|s| s.module == m))
        .collect();
    unlisted.sort();
    unlisted
}
