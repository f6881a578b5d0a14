//! A report as an HL7 FHIR R4 `Bundle` (the `fhir` feature), for a clinic's record system: a
//! `RiskAssessment` for the escalation, one `Condition` per entry of the differential, the
//! leading one `provisional` and the rest `differential`, coded in the systems' canonical URIs,
//! and the steps as a `CarePlan` proposal. Written as JSON (`serde_json::Value`), so that the
//! crate carries no FHIR model; the tests read every case's Bundle back through one (fhirbolt,
//! strict mode) to hold it to the R4 structure.

use serde_json::{Value, json};

use crate::report::{Diagnosis, Report};

/// Canonical URIs of the code systems (FHIR R4 terminology).
const ICD10: &str = "http://hl7.org/fhir/sid/icd-10";
const ICD10_CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
const SNOMED: &str = "http://snomed.info/sct";
const VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
const CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";

impl Report {
    /// The report as a FHIR R4 `Bundle` of type `collection`.
    ///
    /// The patient is not known to patella: every resource's `subject` is a reference by
    /// display only, for the embedding system to replace with its own `Patient`.
    ///
    /// ```
    /// # use patella::{Assessment, Onset, RuleSet};
    /// let a = Assessment::from_ron(&std::fs::read_to_string("examples/assessments/itbs.ron")?)?;
    /// let bundle = RuleSet::default().evaluate(&a).fhir_bundle();
    /// assert_eq!(bundle["resourceType"], "Bundle");
    /// assert_eq!(bundle["entry"][1]["resource"]["code"]["coding"][0]["code"], "M76.3");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn fhir_bundle(&self) -> Value {
        let subject = json!({ "display": "the runner assessed" });
        let mut entries = Vec::with_capacity(self.diagnoses.len() + 2);
        entries.push(self.risk_assessment(&subject));
        entries.extend(
            self.diagnoses
                .iter()
                .enumerate()
                .map(|(i, d)| condition(d, i == 0, &subject)),
        );
        if !self.steps.is_empty() {
            entries.push(self.care_plan(&subject));
        }
        json!({
            "resourceType": "Bundle",
            "type": "collection",
            "entry": entries.into_iter().map(|r| json!({ "resource": r })).collect::<Vec<_>>(),
        })
    }

    /// The escalation: its level as the qualitative risk, the action as the mitigation, each
    /// reason as a note naming its rule and source, and the rule set as the method.
    fn risk_assessment(&self, subject: &Value) -> Value {
        let level = self.escalation.level;
        let notes: Vec<Value> = self
            .escalation
            .reasons
            .iter()
            .map(|r| json!({ "text": format!("{} (rule {}; {})", r.text, r.rule, r.source) }))
            .collect();
        let mut ra = json!({
            "resourceType": "RiskAssessment",
            "status": "final",
            "subject": subject,
            "method": { "text": format!("patella: {}", self.rule_set) },
            "prediction": [{
                "outcome": { "text": "How soon the knee should be seen" },
                "qualitativeRisk": { "text": level.name() },
            }],
            "mitigation": level.action(),
        });
        if !notes.is_empty() {
            ra["note"] = Value::Array(notes);
        }
        ra
    }

    /// The steps, in the report's order, as activities of a proposed care plan.
    fn care_plan(&self, subject: &Value) -> Value {
        let activities: Vec<Value> = self
            .steps
            .iter()
            .map(|s| {
                let text = match &s.dose {
                    Some(d) => format!("{} ({d})", s.text),
                    None => s.text.to_string(),
                };
                json!({ "detail": { "status": "not-started", "description": text } })
            })
            .collect();
        json!({
            "resourceType": "CarePlan",
            "status": "active",
            "intent": "proposal",
            "title": "What to do",
            "subject": subject,
            "activity": activities,
        })
    }
}

/// One entry of the differential, coded where the rule set codes it.
fn condition(d: &Diagnosis, leading: bool, subject: &Value) -> Value {
    let codings: Vec<Value> = [
        (ICD10, &d.codes.icd10),
        (ICD10_CM, &d.codes.icd10_cm),
        (SNOMED, &d.codes.snomed),
    ]
    .into_iter()
    .filter_map(|(system, code)| {
        code.as_ref()
            .map(|c| json!({ "system": system, "code": &**c, "display": &*d.name }))
    })
    .collect();
    let mut code = json!({ "text": &*d.name });
    if !codings.is_empty() {
        code["coding"] = Value::Array(codings);
    }
    let status = if leading {
        "provisional"
    } else {
        "differential"
    };
    json!({
        "resourceType": "Condition",
        "clinicalStatus": { "coding": [{ "system": CLINICAL, "code": "active" }] },
        "verificationStatus": { "coding": [{ "system": VERIFICATION, "code": status }] },
        "code": code,
        "subject": subject,
        "note": [{ "text": format!("Suggested by {}; source: {}", d.rules.join(", "), d.source) }],
    })
}
