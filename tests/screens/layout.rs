//! Every screenshot `kiosk screenshot` takes (the visitor screens in each language, theme and
//! size, the calling display, the counter console and the rating screen), looked at element by
//! element as it is taken: no control may lie partly outside the window, no two controls may
//! overlap, and no text may be elided, cut off by the window's edge or wrapped past its height.
//! A control or text in a scrolling area counts only as far as the area shows it (the rest is
//! scrolled to); one wholly outside the window is not drawn and not seen here.

use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery, ElementRoot};
use kiosk::config::Config;
use kiosk::lang::Lang;
use kiosk::ui::TextFit;
use kiosk::ui::screenshot::{Request, SIZES, Shown, Theme, inspect_each_shot};
use slint::ComponentHandle;
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// What a visitor, clerk or technician can act on.
fn is_control(e: &ElementHandle) -> bool {
    matches!(
        e.accessible_role(),
        Some(
            AccessibleRole::Button
                | AccessibleRole::Checkbox
                | AccessibleRole::RadioButton
                | AccessibleRole::Switch
                | AccessibleRole::Tab
                | AccessibleRole::TextInput
                | AccessibleRole::Combobox
                | AccessibleRole::Slider
                | AccessibleRole::Spinbox
        )
    )
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Rect {
    fn of(e: &ElementHandle) -> Rect {
        let (at, size) = (e.absolute_position(), e.size());
        Rect {
            x0: at.x,
            y0: at.y,
            x1: at.x + size.width,
            y1: at.y + size.height,
        }
    }
    fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    fn contains(&self, o: &Rect) -> bool {
        self.x0 <= o.x0 + 0.5 && self.y0 <= o.y0 + 0.5 && o.x1 <= self.x1 + 0.5 && o.y1 <= self.y1 + 0.5
    }
    /// Intersecting or sharing an edge.
    fn touches(&self, o: &Rect) -> bool {
        self.x0 <= o.x1 && o.x0 <= self.x1 && self.y0 <= o.y1 && o.y0 <= self.y1
    }
    /// Overlapping by more than a pixel's rounding either way.
    fn overlaps(&self, o: &Rect) -> bool {
        let shrunk = Rect {
            x0: self.x0 + 1.0,
            y0: self.y0 + 1.0,
            x1: self.x1 - 1.0,
            y1: self.y1 - 1.0,
        };
        shrunk.intersects(o)
    }
}

/// A modal layer over the screen (its accessible-id ends in "-dialog"): only its controls can
/// be reached while it is open, so only they are looked at.
fn modal(root: &impl ElementRoot) -> Option<ElementHandle> {
    ElementQuery::from_root(root)
        .match_descendants()
        .match_predicate(|e| e.accessible_id().is_some_and(|id| id.ends_with("-dialog")))
        .find_first()
}

/// A number pad's key: the pad is always wholly in sight, never scrolled in part.
fn is_pad_key(id: &str) -> bool {
    id.starts_with("key-") || id.starts_with("preapp-key-")
}

/// The problems of one screenshot: controls cut off by the window's edge, overlaps, and text
/// not shown whole.
fn problems(root: &impl ElementRoot, (w, h): (f32, f32)) -> Vec<String> {
    let viewports: Vec<Rect> = ElementQuery::from_root(root)
        .match_descendants()
        .match_type_name("Flickable")
        .find_all()
        .iter()
        .map(Rect::of)
        .collect();
    let reachable = reachable_root(root);
    let mut controls: Vec<(String, Rect)> = Vec::new();
    let mut pad_keys_out = Vec::new();
    for e in reachable.match_predicate(is_control).find_all() {
        let name = e
            .accessible_id()
            .filter(|id| !id.is_empty())
            .or_else(|| e.accessible_label())
            .unwrap_or_default()
            .to_string();
        let mut r = Rect::of(&e);
        if is_pad_key(&name) {
            let in_sight = match viewports.iter().find(|v| v.touches(&r)) {
                Some(v) => v.contains(&r),
                None => r.y0 >= -0.5 && r.y1 <= h + 0.5,
            };
            if !in_sight {
                pad_keys_out.push(format!(
                    "{name} of the number pad is not wholly in sight at {r:?}"
                ));
            }
        }
        // Inside a scrolling area the control is seen as far as the area shows it (one that
        // only touches the area's edge is scrolled out of it).
        if let Some(v) = viewports.iter().find(|v| v.touches(&r)) {
            r.y0 = r.y0.max(v.y0);
            r.y1 = r.y1.min(v.y1);
            if r.y1 - r.y0 < 1.0 {
                continue;
            }
        }
        // A component and the elements it inherits from are one item, found once for each.
        if !controls.contains(&(name.clone(), r)) {
            controls.push((name, r));
        }
    }
    let mut found = cut_texts(reachable_root(root), &viewports, (w, h));
    pad_keys_out.dedup();
    found.extend(pad_keys_out);
    for (name, r) in &controls {
        if r.x0 < -0.5 || r.y0 < -0.5 || r.x1 > w + 0.5 || r.y1 > h + 0.5 {
            found.push(format!("{name} is cut off by the window's edge at {r:?}"));
        }
    }
    for (i, (a, ra)) in controls.iter().enumerate() {
        for (b, rb) in &controls[i + 1..] {
            if ra.overlaps(rb) {
                found.push(format!("{a} overlaps {b}: {ra:?} and {rb:?}"));
            }
        }
    }
    found
}

/// Where text may be seen: the open dialog, or the whole window.
fn reachable_root(root: &impl ElementRoot) -> ElementQuery {
    match modal(root) {
        Some(layer) => layer.query_descendants(),
        None => ElementQuery::from_root(root).match_descendants(),
    }
}

/// Texts (every text is a `Label`, which says whether its layout gave it room for all of it)
/// that are elided or wrapped past their height, or that reach past the window's edge.
fn cut_texts(texts: ElementQuery, viewports: &[Rect], (w, h): (f32, f32)) -> Vec<String> {
    let mut found = Vec::new();
    let labels = texts.match_predicate(|e| {
        matches!(
            e.accessible_description().as_deref(),
            Some("text-cut" | "text-fits" | "text-moves")
        )
    });
    for e in labels.find_all() {
        let text = e.accessible_label().unwrap_or_default();
        let mut r = Rect::of(&e);
        if text.trim().is_empty() || r.x1 - r.x0 < 0.5 || e.computed_opacity() <= 0.0 {
            continue;
        }
        if let Some(v) = viewports.iter().find(|v| v.touches(&r)) {
            r.y0 = r.y0.max(v.y0);
            r.y1 = r.y1.min(v.y1);
            if r.y1 - r.y0 < 1.0 {
                continue;
            }
        }
        let id = e.id().unwrap_or_default();
        // Text that moves to show its whole length is checked only for the window's height.
        let moves = e.accessible_description().as_deref() == Some("text-moves");
        if e.accessible_description().as_deref() == Some("text-cut") {
            found.push(format!("text {text:?} ({id}) does not fit its {r:?}"));
        } else if (!moves && (r.x0 < -0.5 || r.x1 > w + 0.5)) || r.y0 < -0.5 || r.y1 > h + 0.5 {
            found.push(format!(
                "text {text:?} ({id}) is cut off by the window's edge at {r:?}"
            ));
        }
    }
    found
}

/// The problems of a window, its texts asked to say whether they fit.
fn checked<W>(w: &W, size: (f32, f32)) -> Vec<String>
where
    W: ComponentHandle + ElementRoot,
    for<'a> TextFit<'a>: slint::Global<'a, W>,
{
    w.global::<TextFit>().set_checked(true);
    problems(w, size)
}

pub fn no_control_is_cut_off_or_covered_and_no_text_cut_on_any_screenshot() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shots");
    let inspected: Rc<RefCell<Vec<PathBuf>>> = Rc::default();
    let found: Rc<RefCell<Vec<String>>> = Rc::default();
    let (seen, bad) = (inspected.clone(), found.clone());
    // Laid out, not drawn: the geometry is the same, and drawing 800 full-HD frames is minutes.
    inspect_each_shot(false, move |file, (w, h), shown| {
        let size = (w as f32, h as f32);
        let problems = match shown {
            Shown::Kiosk(w) => checked(w, size),
            Shown::Display(w) => checked(w, size),
            Shown::Counter(w) => checked(w, size),
            Shown::Evaluator(w) => checked(w, size),
        };
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        bad.borrow_mut()
            .extend(problems.into_iter().map(|p| format!("{name}: {p}")));
        seen.borrow_mut().push(file.to_owned());
        Ok(())
    });

    let config = Config::default();
    let req = Request {
        out: out.clone(),
        langs: Lang::ALL.to_vec(),
        themes: Theme::ALL.to_vec(),
        sizes: SIZES.to_vec(),
        overlays: true,
    };
    let mut written = kiosk::ui::screenshot::render_all(&config, &req).unwrap();
    written.extend(
        kiosk::ui::display_shots::render_all(&config, &out, &kiosk::ui::display_shots::SIZES).unwrap(),
    );
    written.extend(
        kiosk::ui::counter_shots::render_all(&config, &out, &kiosk::ui::counter_shots::SIZES).unwrap(),
    );
    written.extend(kiosk::ui::counter_shots::render_evaluator(&config, &out).unwrap());

    assert_eq!(*inspected.borrow(), written, "every screenshot was looked at");
    eprintln!("layout: {} screenshots looked at", written.len());
    let found = found.borrow();
    assert!(
        found.is_empty(),
        "{} problems in the screenshots:\n{}",
        found.len(),
        found.join("\n")
    );
}
