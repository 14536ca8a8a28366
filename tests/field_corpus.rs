//! The labelled `field` corpus (bounces people posted publicly, whole notices and pasted
//! fragments, `../shared/corpus/field`): the rates `../shared/tools/score field` computes must not
//! fall below the floors reached. Skips when the corpus is absent.

#[path = "support/field_score.rs"]
mod field_score;

/// The floors reached (rounded down): the score may only go up.
const FLOORS: &[(&str, f64)] = &[("kind", 1.0), ("recipient", 1.0), ("action", 1.0), ("status", 1.0), ("reply_code", 1.0), ("reason", 1.0), ("hard_bounce", 1.0), ("provider", 1.0), ("no_false_block", 1.0)];

#[test]
fn field_corpus_rates_stay_above_the_floors() {
    let Some(folder) = field_score::corpus("field") else {
        println!("skipped: no field corpus (../shared/corpus/field or $BOUNCE_DOCTOR_CORPUS/field)");
        return;
    };
    field_score::score(&folder).assert_floors("field", FLOORS);
}
