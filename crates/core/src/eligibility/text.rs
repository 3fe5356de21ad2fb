//! Visitor-facing wording of outcomes, reasons, next steps and proofs, in the three languages.
//! The CLI and printed summaries use these; the UI shows the same wording through its translations.
//! Uyghur wording awaits review by the office's translator.

use super::codes::{NextStep, Outcome, Proof, ReasonCode};
use crate::lang::Lang;

fn pick(lang: Lang, zh: &'static str, en: &'static str, ug: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
        Lang::Ug => ug,
    }
}

pub fn outcome(o: Outcome, lang: Lang) -> &'static str {
    match o {
        Outcome::Eligible => pick(
            lang,
            "您很可能符合法律援助条件",
            "You are likely to qualify for legal aid",
            "سىز قانۇن ياردىمىگە ئېرىشىش شەرتىگە توشۇشىڭىز مۇمكىن",
        ),
        Outcome::NotEligible => pick(
            lang,
            "按您的回答，暂不符合法律援助条件",
            "From your answers, you do not seem to qualify for legal aid",
            "جاۋابىڭىزغا قارىغاندا، ھازىرچە قانۇن ياردىمى شەرتىگە توشمايسىز",
        ),
        // Legal Aid Law art. 42: these applicants are exempt from the means check (免予核查).
        Outcome::ExemptFromMeansTest => pick(
            lang,
            "您可免予核查经济困难状况",
            "Your income does not need to be checked",
            "ئىقتىسادىي ئەھۋالىڭىزنى تەكشۈرۈش ھاجەتسىز",
        ),
        Outcome::StateAppointsCounsel => pick(
            lang,
            "应由办案机关通知法律援助机构为您指派律师",
            "The authorities must arrange a lawyer for you",
            "دېلو بىر تەرەپ قىلغۇچى ئورگان قانۇن ياردىمى ئورگىنىغا ئۇقتۇرۇپ، سىزگە ئادۋوكات تەيىنلىتىشى كېرەك",
        ),
        Outcome::ReferToStaff => pick(
            lang,
            "需要工作人员与您一起判断",
            "A member of staff needs to look at this with you",
            "بۇنى خىزمەتچى خادىم سىز بىلەن بىللە كۆرۈپ چىقىدۇ",
        ),
    }
}

pub fn reason(r: ReasonCode, lang: Lang) -> &'static str {
    use ReasonCode::*;
    match r {
        ConsultationFree => pick(
            lang,
            "法律咨询对所有人免费",
            "Legal advice is free for everyone",
            "قانۇن مەسلىھىتى ھەممە ئادەم ئۈچۈن ھەقسىز",
        ),
        AlreadyRepresented => pick(
            lang,
            "您在此事项中已有律师或代理人",
            "You already have a lawyer or agent for this matter",
            "بۇ ئىشتا سىزنىڭ ئادۋوكاتىڭىز ياكى ۋاكالەتچىڭىز بار",
        ),
        CaseOutsideCity => pick(
            lang,
            "案件由外地机关办理，应向办案地法律援助机构申请",
            "Your case is handled outside the city: apply where the case is handled",
            "دېلوڭىز باشقا شەھەردە بىر تەرەپ قىلىنىدۇ، شۇ يەردىكى قانۇن ياردىمى ئورگىنىغا ئىلتىماس قىلىڭ",
        ),
        MandatoryCounsel => pick(
            lang,
            "您的情形属于应当通知辩护的情形",
            "In your situation the law requires that you have a defence lawyer",
            "ئەھۋالىڭىزدا قانۇن بويىچە ئاقلىغۇچى ئادۋوكات بولۇشى شەرت",
        ),
        CompulsoryTreatment => pick(
            lang,
            "强制医疗案件应当为被申请人指派律师",
            "A lawyer must be appointed in compulsory treatment cases",
            "مەجبۇرىي داۋالاش دېلوسىدا ئادۋوكات تەيىنلىنىشى شەرت",
        ),
        CriminalDefenceNoEconomicCondition => pick(
            lang,
            "刑事案件犯罪嫌疑人、被告人申请法律援助不受经济困难条件限制",
            "Suspects and defendants in criminal cases can get legal aid whatever their income",
            "جىنايى ئىشلاردا گۇمانلىق ۋە جاۋابكارلار كىرىمىدىن قەتئىينەزەر قانۇن ياردىمى ئالالايدۇ",
        ),
        CriminalDefenceReferToStaff => pick(
            lang,
            "刑事辩护援助需由工作人员根据具体情况判断；值班律师可提供帮助",
            "Staff decide on criminal defence aid case by case; a duty lawyer can help now",
            "جىنايى ئاقلاش ياردىمىنى خادىملار ئەھۋالغا قاراپ بېكىتىدۇ؛ نۆۋەتچى ئادۋوكات ياردەم بېرەلەيدۇ",
        ),
        NoEconomicCondition => pick(
            lang,
            "此类事项申请法律援助不受经济困难条件限制",
            "For this kind of matter there is no income condition",
            "بۇ خىل ئىشلار ئۈچۈن كىرىم شەرتى يوق",
        ),
        OutOfScope => pick(
            lang,
            "此事项不在法律援助代理范围内，但您可以免费咨询",
            "This matter is not covered by legal aid representation, but advice is free",
            "بۇ ئىش قانۇن ياردىمى ۋاكالەت دائىرىسىدە ئەمەس، ئەمما مەسلىھەت ھەقسىز",
        ),
        MeansNotVerified => pick(
            lang,
            "您属于免予核查经济困难状况的人群，请带上证明材料",
            "You belong to a group whose income is not checked; bring the proof",
            "سىز ئىقتىسادىي ئەھۋالى تەكشۈرۈلمەيدىغان توپقا كىرىسىز؛ ئىسپاتىنى ئېلىپ كېلىڭ",
        ),
        HighValueAssets => pick(
            lang,
            "家庭有较高价值财产，需要工作人员核实",
            "Your household has valuable property, which staff need to look at",
            "ئائىلىڭىزنىڭ قىممىتى يۇقىرى مۈلكى بار، خادىملار تەكشۈرۈشى كېرەك",
        ),
        // Both are for the technician (`kiosk doctor` names the missing standard); the visitor is
        // told what happens next.
        NoStandardForDate => pick(
            lang,
            "需要工作人员按本年度标准为您核对收入",
            "Staff will check your income against this year's standard",
            "خادىملار كىرىمىڭىزنى بۇ يىللىق ئۆلچەم بويىچە تەكشۈرۈپ بېرىدۇ",
        ),
        StandardNotProvisioned => pick(
            lang,
            "需要工作人员按本年度标准为您核对收入",
            "Staff will check your income against this year's standard",
            "خادىملار كىرىمىڭىزنى بۇ يىللىق ئۆلچەم بويىچە تەكشۈرۈپ بېرىدۇ",
        ),
        MeansTestPassed => pick(
            lang,
            "家庭人均月收入低于经济困难标准",
            "Your household income per person is below the hardship standard",
            "ئائىلىڭىزنىڭ كىشى بېشىغا توغرا كېلىدىغان كىرىمى ئۆلچەمدىن تۆۋەن",
        ),
        MeansTestFailed => pick(
            lang,
            "家庭人均月收入不低于经济困难标准",
            "Your household income per person is not below the hardship standard",
            "ئائىلىڭىزنىڭ كىشى بېشىغا توغرا كېلىدىغان كىرىمى ئۆلچەمدىن تۆۋەن ئەمەس",
        ),
        ReviewLineReferToStaff => pick(
            lang,
            "收入接近标准，需要工作人员按省级标准复核",
            "Your income is close to the line; staff check it against the provincial standard",
            "كىرىمىڭىز ئۆلچەمگە يېقىن؛ خادىملار ئۆلكە ئۆلچىمى بويىچە تەكشۈرىدۇ",
        ),
        DeadlineNear => pick(
            lang,
            "期限紧迫，法律援助可先行提供",
            "Your deadline is close: aid can start before the review finishes",
            "مۇددەت يېقىن: تەكشۈرۈپ بېكىتىش تۈگىمەيلا ياردەم ئالدىن بېرىلىشى مۇمكىن",
        ),
    }
}

pub fn next_step(s: NextStep, lang: Lang) -> &'static str {
    use NextStep::*;
    match s {
        TakeConsultationTicket => pick(
            lang,
            "取“法律咨询”号，免费咨询律师",
            "Take a 'Legal consultation' ticket for free advice",
            "ھەقسىز مەسلىھەت ئۈچۈن «قانۇن مەسلىھىتى» بېلىتى ئېلىڭ",
        ),
        TakeApplicationTicket => pick(
            lang,
            "取“申请法律援助”号，到窗口提交申请",
            "Take an 'Apply for legal aid' ticket and apply at the counter",
            "«قانۇن ياردىمى ئىلتىماس قىلىش» بېلىتى ئېلىپ كۆزنەكتە ئىلتىماس قىلىڭ",
        ),
        TakeCriminalTicket => pick(
            lang,
            "取“刑事案件与值班律师”号",
            "Take a 'Criminal cases and duty lawyer' ticket",
            "«جىنايى ئىشلار ۋە نۆۋەتچى ئادۋوكات» بېلىتى ئېلىڭ",
        ),
        AskStaff => pick(
            lang,
            "请向工作人员咨询",
            "Ask a member of staff",
            "خىزمەتچى خادىمدىن سوراڭ",
        ),
        ApplyWhereCaseIsHandled => pick(
            lang,
            "向办案机关所在地的法律援助机构申请；工作人员可告诉您联系方式",
            "Apply to the legal aid office where the court or authority is; staff can give you its contacts",
            "سوت ياكى ئورگان جايلاشقان يەردىكى قانۇن ياردىمى ئورگىنىغا ئىلتىماس قىلىڭ؛ خادىملار ئۇنىڭ ئالاقىلىشىش ئۇسۇلىنى دەپ بېرەلەيدۇ",
        ),
        AuthoritiesMustNotify => pick(
            lang,
            "法院、检察院或公安机关应通知法律援助机构；家属也可直接联系我们",
            "The court, the prosecutor's office (procuratorate) or the police must notify the legal aid office; family can also contact us",
            "سوت، تەپتىش ياكى ساقچى ئورگىنى قانۇن ياردىمى ئورگىنىغا ئۇقتۇرۇشى كېرەك؛ ئائىلە تاۋابىئاتلىرىمۇ بىز بىلەن ئالاقىلىشالايدۇ",
        ),
        DutyLawyer => pick(
            lang,
            "看守所、检察院和法院设有值班律师，可免费提供法律帮助",
            "Duty lawyers at detention centres, prosecutors' offices and courts give free help",
            "تۇتۇپ تۇرۇش ئورنى، تەپتىش مەھكىمىسى ۋە سوتلاردىكى نۆۋەتچى ئادۋوكاتلار ھەقسىز ياردەم بېرىدۇ",
        ),
        BringId => pick(
            lang,
            "身份证、护照或其他有效身份证件",
            "Your ID card, passport or other valid ID",
            "كىملىك، پاسپورت ياكى باشقا ئىناۋەتلىك كىنىشكا",
        ),
        BringAgencyProof => pick(
            lang,
            "代他人申请的，带上监护或代理证明",
            "If applying for someone else: proof of guardianship or agency",
            "باشقىلار ئۈچۈن ئىلتىماس قىلسىڭىز: ۋەسىيلىك ياكى ۋاكالەت ئىسپاتى",
        ),
        ApplicationForm => pick(
            lang,
            "法律援助申请表（工作人员可代为填写）",
            "The application form (staff can fill it in with you)",
            "ئىلتىماس جەدۋىلى (خادىملار تولدۇرۇپ بېرەلەيدۇ)",
        ),
        EconomicStatement => pick(
            lang,
            "经济困难状况说明表及个人诚信承诺（无需街道证明）",
            "A signed statement of your household's finances (no certificate from your neighbourhood office needed)",
            "ئىقتىسادىي ئەھۋال بايانى ۋە شەخسىي ۋەدە (كوچا ئىشخانىسى ئىسپاتى كېرەك ئەمەس)",
        ),
        BringCasePapers => pick(
            lang,
            "案件材料：法院或仲裁文书、合同、工资单、医疗或事故报告等",
            "Your case papers: court or arbitration papers, contracts, pay slips, medical or accident reports",
            "دېلو ماتېرىياللىرى: سوت ياكى ئەنچۈشى ھۆججەتلىرى، توختام، مائاش تالونى، داۋالاش ياكى ۋەقە دوكلاتى",
        ),
        BringExemptionProof => pick(
            lang,
            "证明您身份情形的材料（见下）",
            "Proof that you belong to a group whose income is not checked (see below)",
            "ئىقتىسادىي ئەھۋالىڭىز تەكشۈرۈلمەيدىغانلىقىنىڭ ئىسپاتى (تۆۋەندە)",
        ),
        BringDomesticViolenceEvidence => pick(
            lang,
            "家暴证据：报警记录、告诫书、人身安全保护令、就医记录等",
            "Evidence of the violence: police records, a written warning, a protection order, medical records",
            "ئائىلە زوراۋانلىقى ئىسپاتى: ساقچى خاتىرىسى، ئاگاھلاندۇرۇش، قوغداش بۇيرۇقى، داۋالاش خاتىرىسى",
        ),
        EarlyAidPossible => pick(
            lang,
            "距期限不足7天：法律援助可在审查结束前先行提供，请尽快到窗口",
            "Less than 7 days to your deadline: aid can start before the review ends — go to a counter today",
            "مۇددەتكە 7 كۈن قالمىدى: تەكشۈرۈپ بېكىتىش تۈگىمەيلا ياردەم ئالدىن بېرىلىشى مۇمكىن — بۈگۈن كۆزنەككە بېرىڭ",
        ),
        // Legal Aid Law art. 43: 7 days from receiving the application.
        OfficeDecides => pick(
            lang,
            "本结果仅供参考，以法律援助机构的决定为准（自收到申请之日起7日内作出决定）",
            "This is only a guide: the legal aid office decides within 7 days of receiving your application",
            "بۇ پەقەت پايدىلىنىش ئۈچۈن: قانۇن ياردىمى ئورگىنى ئىلتىماسنى تاپشۇرۇۋالغان كۈندىن باشلاپ 7 كۈن ئىچىدە قارار چىقىرىدۇ",
        ),
    }
}

pub fn proof(p: Proof, lang: Lang) -> &'static str {
    use Proof::*;
    match p {
        NoFixedIncomeProof => pick(
            lang,
            "无固定生活来源的说明或证明",
            "A statement or proof that you have no fixed income",
            "مۇقىم كىرىمىڭىز يوقلۇقىنىڭ بايانى ياكى ئىسپاتى",
        ),
        DisabilityCard => pick(lang, "残疾人证", "Your disability card", "مېيىپلار كىنىشكىسى"),
        SocialAssistanceCertificate => pick(
            lang,
            "低保、特困等社会救助证明",
            "Your social assistance certificate (低保, 特困 …)",
            "ئىجتىمائىي ياردەم ئىسپاتى",
        ),
        JudicialAssistanceDecision => pick(
            lang,
            "司法救助决定书",
            "The judicial relief decision (司法救助决定书)",
            "ئەدلىيە ياردىمى قارارى (司法救助决定书)",
        ),
        SpecialCareCertificate => pick(
            lang,
            "优抚对象证明",
            "Your special care (优抚) certificate",
            "ئالاھىدە غەمخورلۇق ئىسپاتى",
        ),
        MigrantWorkEvidence => pick(
            lang,
            "务工证明：劳动合同、工资记录、工友证言等",
            "Proof of your work: contract, pay records, co-workers' statements",
            "ئىشلىگەنلىك ئىسپاتى: ئەمگەك توختامى، مائاش خاتىرىسى، خىزمەتداشلار گۇۋاھلىقى",
        ),
        GroupDisputeEvidence => pick(
            lang,
            "群体性劳动争议的材料和人员名单",
            "Papers of the group dispute and the list of workers",
            "كوللېكتىپ ئەمگەك ماجىراسى ماتېرىياللىرى ۋە ئىشچىلار تىزىملىكى",
        ),
        OrphanProof => pick(lang, "孤儿身份证明", "Proof of orphan status", "يېتىملىك ئىسپاتى"),
        PoliceCasualtyDocuments => pick(
            lang,
            "因公致残或牺牲的认定材料",
            "Documents recognising the injury or death on duty",
            "ۋەزىپە ئۈستىدە مېيىپ بولغانلىق ياكى قۇربان بولغانلىق ئىسپاتى",
        ),
    }
}
