//! The screening wizard on the screen: keeps the visitor's answers, asks the next question that
//! can still change the outcome (`eligibility::wizard`), and shows the engine's result.

use super::speech::Guide;
use super::{
    AnswerKind, ChecklistItem, KioskWindow, Nav, PrintState, ResultReason, ReviewRow, Screen, TicketAdapter,
    WizardAdapter, WizardStep,
};
use crate::clock::Clock;
use crate::config::{Config, ResultTicket};
use crate::eligibility::wizard::{Answers, CRIMINAL_CIRCUMSTANCES, Step, next_step};
use crate::eligibility::{Circumstance, Matter, NextStep, Policy, ScreeningInput, ScreeningOutput, screen};
use crate::lang::Lang;
use crate::printer::PrintService;
use crate::printing;
use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

#[derive(Default)]
struct State {
    answers: Answers,
    /// Steps answered, in order, so Back can undo the last one.
    history: Vec<Step>,
}

pub(super) struct Wizard {
    pub(super) window: slint::Weak<KioskWindow>,
    pub(super) config: Arc<Config>,
    /// Replaced when a technician installs or rolls back a policy (between visitors).
    policy: RefCell<Policy>,
    pub(super) clock: Arc<dyn Clock>,
    state: RefCell<State>,
    printing: Option<Arc<PrintService>>,
    /// This window's spoken guide.
    pub(super) guide: Rc<Guide>,
    /// The screening on screen, in the visitor's language: for the summary and the pre-application.
    pub(super) last_result: RefCell<Option<(ScreeningInput, ScreeningOutput)>>,
}

/// Circumstances offered on the general checklist: every one that some exemption needs
/// (being under 18 counts here too, not only on the criminal checklist).
fn exemption_circumstances(policy: &Policy) -> Vec<Circumstance> {
    Circumstance::ALL
        .iter()
        .copied()
        .filter(|c| policy.exemptions.iter().any(|e| e.all_of.contains(c)))
        .collect()
}

impl Wizard {
    fn today(&self) -> chrono::NaiveDate {
        self.clock
            .now()
            .with_timezone(&self.config.time_zone())
            .date_naive()
    }

    pub(super) fn with_ui(&self, f: impl FnOnce(&KioskWindow)) {
        if let Some(w) = self.window.upgrade() {
            f(&w);
        }
    }

    fn reset(&self) {
        *self.state.borrow_mut() = State::default();
        self.last_result.borrow_mut().take();
        self.with_ui(|w| {
            w.global::<super::PreappAdapter>().invoke_forget();
            let wa = w.global::<WizardAdapter>();
            wa.set_summary_print_state(PrintState::None);
            wa.set_summary_job(SharedString::new());
        });
    }

    pub(super) fn print_summary(&self) {
        let Some(printing) = &self.printing else { return };
        let Some((_, output)) = self.last_result.borrow().clone() else {
            return;
        };
        let now = self.clock.now();
        let (mut reference, mut agency) = (String::new(), None);
        self.with_ui(|w| {
            let pa = w.global::<super::PreappAdapter>();
            reference = pa.get_local_reference().to_string();
            agency = Some(pa.get_agency_reference().to_string()).filter(|a| !a.is_empty());
        });
        if reference.is_empty() {
            reference = now
                .with_timezone(&self.config.time_zone())
                .format("S-%Y%m%d-%H%M%S")
                .to_string();
        }
        let job = printing::summary_job(&self.config, &output, now, &reference, agency.as_deref());
        self.with_ui(|w| {
            let wa = w.global::<WizardAdapter>();
            if wa.get_summary_print_state() == PrintState::Printing {
                return;
            }
            wa.set_summary_job(job.name.as_str().into());
            wa.set_summary_print_state(PrintState::Printing);
        });
        printing.submit(job);
    }

    /// Screens with `policy` from the next question on (technician mode, between visitors).
    pub(super) fn use_policy(&self, policy: Policy) {
        *self.policy.borrow_mut() = policy;
    }

    fn start(&self) {
        self.reset();
        self.with_ui(|w| {
            w.global::<WizardAdapter>().set_unsure(false);
            w.global::<Nav>().set_screen(Screen::WizardMatter);
        });
    }

    fn record(&self, step: Step, set: impl FnOnce(&mut Answers)) {
        let mut st = self.state.borrow_mut();
        set(&mut st.answers);
        st.history.retain(|s| *s != step);
        st.history.push(step);
    }

    /// Shows the next question, or the review when nothing more can change the outcome.
    fn advance(&self) {
        let answers = self.state.borrow().answers.clone();
        let next = next_step(&self.policy.borrow(), self.today(), &answers);
        self.with_ui(|w| {
            let wa = w.global::<WizardAdapter>();
            let nav = w.global::<Nav>();
            let Some(step) = next else {
                wa.set_review(ModelRc::new(VecModel::from(self.review_rows(&answers))));
                nav.set_screen(Screen::WizardReview);
                return;
            };
            wa.set_step(to_slint(step));
            wa.set_step_prompt(step.name().into());
            let checklist = |codes: Vec<Circumstance>, chosen: &Option<Vec<Circumstance>>| {
                let items: Vec<ChecklistItem> = codes
                    .into_iter()
                    .map(|c| ChecklistItem {
                        code: c.code().into(),
                        checked: chosen.as_ref().is_some_and(|v| v.contains(&c)),
                    })
                    .collect();
                wa.set_checklist(ModelRc::new(VecModel::from(items)));
            };
            let screen = match step {
                Step::Matter => Screen::WizardMatter,
                Step::CriminalCircumstances => {
                    checklist(CRIMINAL_CIRCUMSTANCES.to_vec(), &answers.criminal_circumstances);
                    Screen::WizardChecklist
                }
                Step::Circumstances => {
                    checklist(
                        exemption_circumstances(&self.policy.borrow()),
                        &answers.circumstances,
                    );
                    Screen::WizardChecklist
                }
                Step::HouseholdSize | Step::Income => {
                    wa.set_number(SharedString::new());
                    wa.set_number_invalid(false);
                    Screen::WizardNumber
                }
                _ => Screen::WizardQuestion,
            };
            nav.set_screen(screen);
        });
    }

    fn review_rows(&self, a: &Answers) -> Vec<ReviewRow> {
        let st = self.state.borrow();
        st.history
            .iter()
            .map(|step| {
                let (kind, flag, value, items): (AnswerKind, bool, String, Vec<Circumstance>) = match step {
                    Step::Matter => (
                        AnswerKind::Matter,
                        false,
                        a.matter.map(|m| m.code().to_owned()).unwrap_or_default(),
                        vec![],
                    ),
                    Step::AlreadyRepresented => (
                        AnswerKind::YesNo,
                        a.already_represented.unwrap_or(false),
                        String::new(),
                        vec![],
                    ),
                    Step::CaseOutsideCity => (
                        AnswerKind::YesNo,
                        a.case_outside_city.unwrap_or(false),
                        String::new(),
                        vec![],
                    ),
                    Step::HighValueAssets => (
                        AnswerKind::YesNo,
                        a.high_value_assets.unwrap_or(false),
                        String::new(),
                        vec![],
                    ),
                    Step::DeadlineWithinAWeek => (
                        AnswerKind::YesNo,
                        a.deadline_within_a_week.unwrap_or(false),
                        String::new(),
                        vec![],
                    ),
                    Step::HouseholdSize => (
                        AnswerKind::Number,
                        false,
                        a.household_size.unwrap_or(1).to_string(),
                        vec![],
                    ),
                    Step::Income => (
                        AnswerKind::Number,
                        false,
                        a.income.unwrap_or(0).to_string(),
                        vec![],
                    ),
                    Step::CriminalCircumstances => (
                        AnswerKind::List,
                        false,
                        String::new(),
                        a.criminal_circumstances.clone().unwrap_or_default(),
                    ),
                    Step::Circumstances => (
                        AnswerKind::List,
                        false,
                        String::new(),
                        a.circumstances.clone().unwrap_or_default(),
                    ),
                };
                let items: Vec<SharedString> = items.iter().map(|c| c.code().into()).collect();
                ReviewRow {
                    step: to_slint(*step),
                    name: step.name().into(),
                    kind,
                    flag,
                    value: value.into(),
                    items: ModelRc::new(VecModel::from(items)),
                }
            })
            .collect()
    }

    fn show_result(&self) {
        let answers = self.state.borrow().answers.clone();
        let Some(input) = answers.to_input(self.today(), Lang::default()) else {
            return;
        };
        let d = screen(&self.policy.borrow(), &input);
        tracing::info!(outcome = d.outcome.code(), "screening finished at the kiosk");
        self.with_ui(|w| {
            let mut in_visitor_language = input.clone();
            in_visitor_language.language = super::window_lang(w);
            let output = ScreeningOutput::new(&in_visitor_language, &d);
            *self.last_result.borrow_mut() = Some((in_visitor_language, output));
            fill_result(w, &d, &self.config, &self.guide);
            w.global::<Nav>().set_screen(Screen::WizardResult);
        });
    }

    fn show_unsure(&self) {
        self.with_ui(|w| {
            let wa = w.global::<WizardAdapter>();
            wa.set_unsure(true);
            wa.set_outcome("refer_to_staff".into());
            wa.set_reasons(ModelRc::default());
            wa.set_next_steps(ModelRc::default());
            wa.set_proof(SharedString::new());
            offer_ticket(w, &self.config, ResultTicket::Consultation);
            w.global::<Nav>().set_screen(Screen::WizardResult);
        });
    }
}

pub(super) fn wire(
    window: &KioskWindow,
    config: &Arc<Config>,
    installed_policy: Option<crate::policy_store::PolicyStore>,
    clock: Arc<dyn Clock>,
    printing: Option<Arc<PrintService>>,
    guide: Rc<Guide>,
) -> Option<Rc<Wizard>> {
    let policy = config.eligibility_policy(installed_policy.as_ref(), None).or_else(|e| {
        tracing::error!(error = %e, "the provisioned screening policy cannot be used; using the shipped one");
        Policy::shipped()
    });
    let Ok(policy) = policy else {
        tracing::error!("no screening policy can be loaded; the eligibility check is unavailable");
        return None;
    };
    let wiz = Rc::new(Wizard {
        window: window.as_weak(),
        config: config.clone(),
        policy: RefCell::new(policy),
        clock,
        state: RefCell::new(State::default()),
        printing,
        guide,
        last_result: RefCell::new(None),
    });
    let z = wiz.clone();
    window
        .global::<WizardAdapter>()
        .on_print_summary(move || z.print_summary());
    let wa = window.global::<WizardAdapter>();
    let z = wiz.clone();
    wa.on_start(move || z.start());
    let z = wiz.clone();
    wa.on_reset(move || z.reset());
    let z = wiz.clone();
    wa.on_choose_matter(move |code| match Matter::parse(&code) {
        Some(m) => {
            z.record(Step::Matter, |a| {
                *a = Answers {
                    matter: Some(m),
                    ..Answers::default()
                }
            });
            z.state.borrow_mut().history = vec![Step::Matter];
            z.advance();
        }
        None => z.show_unsure(),
    });
    let z = wiz.clone();
    wa.on_answer(move |yes| {
        let Some(w) = z.window.upgrade() else { return };
        let step = from_slint(w.global::<WizardAdapter>().get_step());
        z.record(step, |a| match step {
            Step::AlreadyRepresented => a.already_represented = Some(yes),
            Step::CaseOutsideCity => a.case_outside_city = Some(yes),
            Step::HighValueAssets => a.high_value_assets = Some(yes),
            Step::DeadlineWithinAWeek => a.deadline_within_a_week = Some(yes),
            _ => {}
        });
        z.advance();
    });
    let z = wiz.clone();
    wa.on_toggle(move |code| {
        z.with_ui(|w| {
            // Only the ticked row changes: replacing the model would rebuild every row, and a
            // screen reader would hear all of them renamed.
            let model = w.global::<WizardAdapter>().get_checklist();
            let row = (0..model.row_count())
                .find_map(|i| model.row_data(i).filter(|it| it.code == code).map(|it| (i, it)));
            if let Some((i, mut item)) = row {
                item.checked = !item.checked;
                model.set_row_data(i, item);
            }
        });
    });
    let z = wiz.clone();
    wa.on_checklist_done(move || {
        let Some(w) = z.window.upgrade() else { return };
        let wa = w.global::<WizardAdapter>();
        let step = from_slint(wa.get_step());
        let model = wa.get_checklist();
        let chosen: Vec<Circumstance> = (0..model.row_count())
            .filter_map(|i| model.row_data(i))
            .filter(|it| it.checked)
            .filter_map(|it| Circumstance::parse(&it.code))
            .collect();
        z.record(step, |a| match step {
            Step::CriminalCircumstances => a.criminal_circumstances = Some(chosen),
            _ => a.circumstances = Some(chosen),
        });
        z.advance();
    });
    let z = wiz.clone();
    wa.on_key(move |key| {
        z.with_ui(|w| {
            let wa = w.global::<WizardAdapter>();
            let mut text = wa.get_number().to_string();
            let limit = if wa.get_step() == WizardStep::HouseholdSize {
                2
            } else {
                9
            };
            if key == "del" {
                text.pop();
            } else if text.len() < limit && key.len() == 1 && key.chars().all(|c| c.is_ascii_digit()) {
                if text == "0" {
                    text.clear();
                }
                text.push_str(&key);
            }
            wa.set_number(text.into());
            wa.set_number_invalid(false);
            z.guide.echo_key(w, &key);
        });
    });
    let z = wiz.clone();
    wa.on_number_done(move || {
        let Some(w) = z.window.upgrade() else { return };
        let wa = w.global::<WizardAdapter>();
        let step = from_slint(wa.get_step());
        let value: Option<u64> = wa.get_number().parse().ok();
        let valid = match (step, value) {
            // The same ranges the engine's input checks use.
            (Step::HouseholdSize, Some(n)) => crate::eligibility::HOUSEHOLD_SIZE.contains(&n),
            (Step::Income, Some(n)) => n <= crate::eligibility::LARGEST_WHOLE,
            _ => false,
        };
        if !valid {
            wa.set_number_invalid(true);
            z.guide.say_message(
                &w,
                match step {
                    Step::HouseholdSize => super::said::HOUSEHOLD_RANGE,
                    _ => super::said::ENTER_AMOUNT,
                },
            );
            return;
        }
        let n = value.unwrap_or(0);
        z.record(step, |a| match step {
            Step::HouseholdSize => a.household_size = u32::try_from(n).ok(),
            _ => a.income = Some(n),
        });
        z.advance();
    });
    let z = wiz.clone();
    wa.on_change(move |step| {
        let step = from_slint(step);
        if step == Step::Matter {
            z.start();
            return;
        }
        clear(&mut z.state.borrow_mut(), step);
        z.advance();
    });
    let z = wiz.clone();
    wa.on_undo(move || {
        let last = z.state.borrow().history.last().copied();
        match last {
            None | Some(Step::Matter) => z.start(),
            Some(step) => {
                clear(&mut z.state.borrow_mut(), step);
                z.advance();
            }
        }
    });
    let z = wiz.clone();
    wa.on_confirm(move || z.show_result());
    let z = wiz.clone();
    wa.on_take_ticket(move || {
        // The counter sees what the screening said (its codes only).
        let said = z
            .last_result
            .borrow()
            .as_ref()
            .map(|(input, output)| (input.matter.code(), output.outcome.code()));
        z.with_ui(|w| {
            let code = w.global::<WizardAdapter>().get_ticket_service();
            if code.is_empty() {
                return;
            }
            let t = w.global::<TicketAdapter>();
            let (matter, outcome) = said.unwrap_or_default();
            t.set_screening_matter(matter.into());
            t.set_screening_outcome(outcome.into());
            t.invoke_choose_service(code);
        });
    });
    Some(wiz)
}

/// Offers a ticket for the service the configuration names for this kind of result, if any.
fn offer_ticket(w: &KioskWindow, config: &Config, kind: ResultTicket) {
    let lang = super::window_lang(w);
    let wa = w.global::<WizardAdapter>();
    let svc = config.result_service(kind);
    wa.set_ticket_service(svc.map(|s| s.code.to_string()).unwrap_or_default().into());
    wa.set_ticket_service_name(
        svc.map(|s| s.name.get(lang).to_owned())
            .unwrap_or_default()
            .into(),
    );
}

/// Puts a decision on the result screen, with a ticket for the service its next steps name
/// (application, criminal and duty lawyer, or consultation). Those steps, and "the office
/// decides" (the screen's subtitle), are not repeated in the list.
pub(super) fn fill_result(w: &KioskWindow, d: &crate::eligibility::Decision, config: &Config, guide: &Guide) {
    let service = d
        .next_steps
        .iter()
        .find_map(|s| match s {
            NextStep::TakeApplicationTicket => Some(ResultTicket::Application),
            NextStep::TakeCriminalTicket => Some(ResultTicket::Criminal),
            NextStep::TakeConsultationTicket => Some(ResultTicket::Consultation),
            _ => None,
        })
        .unwrap_or(ResultTicket::Consultation);
    offer_ticket(w, config, service);
    let wa = w.global::<WizardAdapter>();
    wa.set_unsure(false);
    wa.set_outcome(d.outcome.code().into());
    let lang = super::window_lang(w);
    let reasons: Vec<ResultReason> = d
        .reasons
        .iter()
        .map(|r| ResultReason {
            code: r.code.code().into(),
            citation: crate::eligibility::citation::formal(&r.rule, lang).into(),
        })
        .collect();
    wa.set_reasons(ModelRc::new(VecModel::from(reasons)));
    let steps: Vec<SharedString> = d
        .next_steps
        .iter()
        .filter(|s| {
            !matches!(
                s,
                NextStep::TakeApplicationTicket
                    | NextStep::TakeConsultationTicket
                    | NextStep::TakeCriminalTicket
                    | NextStep::OfficeDecides
            )
        })
        .map(|s| s.code().into())
        .collect();
    wa.set_next_steps(ModelRc::new(VecModel::from(steps)));
    wa.set_proof(d.proof.map(|p| p.code()).unwrap_or_default().into());
    speak_result(w, d, guide);
}

/// The result read after its headline: why, then what to do and bring.
fn speak_result(w: &KioskWindow, d: &crate::eligibility::Decision, guide: &Guide) {
    use crate::eligibility::text;
    use crate::speech::compose::shown;
    let lang = super::window_lang(w);
    let mut sentences: Vec<_> = d
        .reasons
        .iter()
        .map(|r| shown(lang, text::reason(r.code, lang)))
        .collect();
    sentences.extend(
        d.next_steps
            .iter()
            .map(|s| shown(lang, text::next_step(*s, lang))),
    );
    sentences.extend(d.proof.iter().map(|p| shown(lang, text::proof(*p, lang))));
    guide.set_detail(Screen::WizardResult, crate::speech::compose::sentences(sentences));
}

fn clear(st: &mut State, step: Step) {
    let a = &mut st.answers;
    match step {
        Step::Matter => a.matter = None,
        Step::AlreadyRepresented => a.already_represented = None,
        Step::CaseOutsideCity => a.case_outside_city = None,
        Step::CriminalCircumstances => a.criminal_circumstances = None,
        Step::Circumstances => a.circumstances = None,
        Step::HighValueAssets => a.high_value_assets = None,
        Step::HouseholdSize => a.household_size = None,
        Step::Income => a.income = None,
        Step::DeadlineWithinAWeek => a.deadline_within_a_week = None,
    }
    st.history.retain(|s| *s != step);
}

/// The screen's name for a question. Both directions are exhaustive matches, so a question
/// added on one side and not the other does not compile.
pub(super) fn to_slint(step: Step) -> WizardStep {
    match step {
        Step::Matter => WizardStep::Matter,
        Step::AlreadyRepresented => WizardStep::AlreadyRepresented,
        Step::CaseOutsideCity => WizardStep::CaseOutsideCity,
        Step::CriminalCircumstances => WizardStep::CriminalCircumstances,
        Step::Circumstances => WizardStep::Circumstances,
        Step::HighValueAssets => WizardStep::HighValueAssets,
        Step::HouseholdSize => WizardStep::HouseholdSize,
        Step::Income => WizardStep::Income,
        Step::DeadlineWithinAWeek => WizardStep::DeadlineWithinAWeek,
    }
}

fn from_slint(step: WizardStep) -> Step {
    match step {
        WizardStep::Matter => Step::Matter,
        WizardStep::AlreadyRepresented => Step::AlreadyRepresented,
        WizardStep::CaseOutsideCity => Step::CaseOutsideCity,
        WizardStep::CriminalCircumstances => Step::CriminalCircumstances,
        WizardStep::Circumstances => Step::Circumstances,
        WizardStep::HighValueAssets => Step::HighValueAssets,
        WizardStep::HouseholdSize => Step::HouseholdSize,
        WizardStep::Income => Step::Income,
        WizardStep::DeadlineWithinAWeek => Step::DeadlineWithinAWeek,
    }
}
