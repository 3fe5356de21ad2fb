//! The codes of the screening contract (shared/domain/screening-contract.md).

use serde::{Deserialize, Serialize};

/// Declares a code enum with its wire names, the list of all codes, and parsing that names the
/// valid codes on failure.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }

            pub fn known() -> String {
                Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

codes!(
    /// What the visitor needs help with.
    Matter {
        Consultation = "consultation",
        StateCompensation = "state_compensation",
        StateCompensationAfterAcquittal = "state_compensation_after_acquittal",
        StateCompensationWrongfulDetention = "state_compensation_wrongful_detention",
        SocialInsuranceOrAssistance = "social_insurance_or_assistance",
        SurvivorOrDisabilityBenefit = "survivor_or_disability_benefit",
        FamilySupport = "family_support",
        LabourRemuneration = "labour_remuneration",
        WorkInjuryBenefits = "work_injury_benefits",
        CivilCapacity = "civil_capacity",
        PersonalInjuryWork = "personal_injury_work",
        PersonalInjuryTraffic = "personal_injury_traffic",
        PersonalInjuryFoodDrug = "personal_injury_food_drug",
        PersonalInjuryMedical = "personal_injury_medical",
        EnvironmentalDamage = "environmental_damage",
        MartyrRights = "martyr_rights",
        BraveryInjury = "bravery_injury",
        DomesticViolenceAbuse = "domestic_violence_abuse",
        GuardianshipRevocation = "guardianship_revocation",
        RetrialPetition = "retrial_petition",
        CriminalDefence = "criminal_defence",
        CriminalVictim = "criminal_victim",
        CompulsoryTreatment = "compulsory_treatment",
        OtherCivil = "other_civil",
    }
);

codes!(
    /// Facts about the visitor that can change the outcome.
    Circumstance {
        Minor = "minor",
        Elderly = "elderly",
        Disabled = "disabled",
        NoFixedIncome = "no_fixed_income",
        Orphan = "orphan",
        SocialAssistance = "social_assistance",
        JudicialAssistance = "judicial_assistance",
        SpecialCare = "special_care",
        MigrantWorker = "migrant_worker",
        GroupLabourDispute = "group_labour_dispute",
        PoliceDisabledOnDuty = "police_disabled_on_duty",
        PoliceKilledOnDutyRelative = "police_killed_on_duty_relative",
        DomesticViolenceVictim = "domestic_violence_victim",
        Detained = "detained",
        VisualHearingSpeechDisability = "visual_hearing_speech_disability",
        CannotFullyRecogniseConduct = "cannot_fully_recognise_conduct",
        IntellectualDisability = "intellectual_disability",
        PossibleLifeOrDeathSentence = "possible_life_or_death_sentence",
        DeathPenaltyReview = "death_penalty_review",
        TrialInAbsentia = "trial_in_absentia",
    }
);

codes!(
    /// The visitor's part in a criminal case.
    CriminalRole {
        SuspectOrDefendant = "suspect_or_defendant",
        Victim = "victim",
        CompulsoryTreatmentRespondent = "compulsory_treatment_respondent",
    }
);

codes!(
    /// The screening's answer.
    Outcome {
        Eligible = "eligible",
        NotEligible = "not_eligible",
        ExemptFromMeansTest = "exempt_from_means_test",
        StateAppointsCounsel = "state_appoints_counsel",
        ReferToStaff = "refer_to_staff",
    }
);

codes!(
    /// Why the screening came out as it did. Each reason cites its rule.
    ReasonCode {
        ConsultationFree = "consultation_free",
        AlreadyRepresented = "already_represented",
        CaseOutsideCity = "case_outside_city",
        MandatoryCounsel = "mandatory_counsel",
        CompulsoryTreatment = "compulsory_treatment",
        CriminalDefenceNoEconomicCondition = "criminal_defence_no_economic_condition",
        CriminalDefenceReferToStaff = "criminal_defence_refer_to_staff",
        NoEconomicCondition = "no_economic_condition",
        OutOfScope = "out_of_scope",
        MeansNotVerified = "means_not_verified",
        HighValueAssets = "high_value_assets",
        NoStandardForDate = "no_standard_for_date",
        StandardNotProvisioned = "standard_not_provisioned",
        MeansTestPassed = "means_test_passed",
        MeansTestFailed = "means_test_failed",
        ReviewLineReferToStaff = "review_line_refer_to_staff",
        DeadlineNear = "deadline_near",
    }
);

codes!(
    /// What the visitor should do or bring next; rendered in the visitor's language.
    NextStep {
        TakeConsultationTicket = "take_consultation_ticket",
        TakeApplicationTicket = "take_application_ticket",
        TakeCriminalTicket = "take_criminal_ticket",
        AskStaff = "ask_staff",
        ApplyWhereCaseIsHandled = "apply_where_case_is_handled",
        AuthoritiesMustNotify = "authorities_must_notify",
        DutyLawyer = "duty_lawyer",
        BringId = "bring_id",
        BringAgencyProof = "bring_agency_proof",
        ApplicationForm = "application_form",
        EconomicStatement = "economic_statement",
        BringCasePapers = "bring_case_papers",
        BringExemptionProof = "bring_exemption_proof",
        BringDomesticViolenceEvidence = "bring_domestic_violence_evidence",
        EarlyAidPossible = "early_aid_possible",
        OfficeDecides = "office_decides",
    }
);

codes!(
    /// Documents that prove an exemption from the means test.
    Proof {
        NoFixedIncomeProof = "no_fixed_income_proof",
        DisabilityCard = "disability_card",
        SocialAssistanceCertificate = "social_assistance_certificate",
        JudicialAssistanceDecision = "judicial_assistance_decision",
        SpecialCareCertificate = "special_care_certificate",
        MigrantWorkEvidence = "migrant_work_evidence",
        GroupDisputeEvidence = "group_dispute_evidence",
        OrphanProof = "orphan_proof",
        PoliceCasualtyDocuments = "police_casualty_documents",
    }
);

impl Matter {
    pub fn is_criminal_defence(self, role: Option<CriminalRole>) -> bool {
        self == Matter::CriminalDefence || role == Some(CriminalRole::SuspectOrDefendant)
    }

    pub fn is_compulsory_treatment(self, role: Option<CriminalRole>) -> bool {
        self == Matter::CompulsoryTreatment || role == Some(CriminalRole::CompulsoryTreatmentRespondent)
    }
}
