//! Staff at the counters, on the hall host: `kiosk provision --add-staff ID --name NAME` (the
//! PIN on standard input), `--remove-staff ID`, `--staff` (the list). Names are printed here for
//! the technician and never logged.

use super::{CmdResult, Context, Failure, print_json};
use crate::staff;
use kiosk_store::Store;
use kiosk_store::staff_tables;

fn database(e: kiosk_store::SqlError) -> Failure {
    Failure::failed(format!("queue database: {e}; see `kiosk doctor`"))
}

pub(super) fn add(ctx: &Context, id: &str, name: Option<&str>, json: bool) -> CmdResult {
    ctx.hall_host_config("adding staff")?;
    staff::check_staff_id(id).map_err(Failure::bad_input)?;
    let name = name.map(str::trim).filter(|n| !n.is_empty()).ok_or_else(|| {
        Failure::bad_input("say whose staff number it is: --name \"王芳\" (shown on the counter console)")
    })?;
    staff::check_name(name).map_err(Failure::bad_input)?;
    let pin = crate::fsutil::read_stdin_text()
        .map_err(|e| Failure::bad_input(format!("cannot read the PIN from standard input: {e}")))?;
    let pin = pin.trim();
    staff::check_pin(pin).map_err(|m| Failure::bad_input(format!("{m} (read from standard input)")))?;
    let hash = staff::hash_pin(pin).map_err(Failure::failed)?;
    let mut store = Store::open_in(&ctx.data_dir)?;
    let now = ctx.clock.now();
    let existed = store
        .write(|c| {
            let existed = staff_tables::staff(c, id)?.is_some();
            staff_tables::put_staff(c, id, name, &hash, now)?;
            Ok(existed)
        })
        .map_err(database)?;
    tracing::info!(staff = %id, "staff member {}", if existed { "changed" } else { "added" });
    if json {
        return print_json(&serde_json::json!({ "staff": id, "added": !existed, "changed": existed }));
    }
    if existed {
        outln!("staff {id}: name and PIN changed (a lockout is lifted)");
    } else {
        outln!("staff {id} added: they sign in at a counter console with this number and the PIN");
    }
    Ok(())
}

pub(super) fn remove(ctx: &Context, id: &str, json: bool) -> CmdResult {
    ctx.hall_host_config("removing staff")?;
    let mut store = Store::open_in(&ctx.data_dir)?;
    let now = ctx.clock.now();
    let removed = store
        .write(|c| staff_tables::remove_staff(c, id, now))
        .map_err(database)?;
    if !removed {
        return Err(Failure::bad_input(format!(
            "there is no staff number {id}; see `kiosk provision --staff`"
        )));
    }
    tracing::info!(staff = %id, "staff member removed");
    if json {
        return print_json(&serde_json::json!({ "staff": id, "removed": true }));
    }
    outln!("staff {id} removed and signed out everywhere");
    Ok(())
}

pub(super) fn list(ctx: &Context, json: bool) -> CmdResult {
    ctx.hall_host_config("the staff list")?;
    let mut store = Store::open_in(&ctx.data_dir)?;
    let staff = store.read(staff_tables::staff_list).map_err(database)?;
    if json {
        let rows: Vec<_> = staff
            .iter()
            .map(|(id, name)| serde_json::json!({ "staff": id, "name": name }))
            .collect();
        return print_json(&serde_json::json!({ "staff": rows }));
    }
    if staff.is_empty() {
        outln!("no staff yet: kiosk provision --add-staff ID --name NAME (the PIN on standard input)");
    }
    for (id, name) in staff {
        outln!("{id}\t{name}");
    }
    Ok(())
}
