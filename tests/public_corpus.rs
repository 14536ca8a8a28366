//! The labelled `public` corpus (other bounce-handling projects' test messages,
//! `../shared/corpus/public`): the rates `../shared/tools/score public` computes must not fall
//! below the floors reached. Skips when the corpus is absent.

#[path = "support/field_score.rs"]
mod field_score;

/// The floors reached (rounded down): the score may only go up.
const FLOORS: &[(&str, f64)] = &[("kind", 1.0), ("recipient", 1.0), ("action", 1.0), ("status", 1.0), ("reply_code", 0.95), ("reason", 0.98), ("hard_bounce", 1.0), ("no_false_block", 1.0)];

#[test]
fn public_corpus_rates_stay_above_the_floors() {
    let Some(folder) = field_score::corpus("public") else {
        println!("skipped: no public corpus (../shared/corpus/public or $BOUNCE_DOCTOR_CORPUS/public)");
        return;
    };
    field_score::score(&folder).assert_floors("public", FLOORS);
}
