//! The city's 12 legal aid service halls: the city office and one per district.
//! Uyghur names are transliterations awaiting review by the office's translator; any hall can
//! override its names in the provisioning file.

use crate::lang::Names;

pub struct HallEntry {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub ug: &'static str,
}

pub const HALLS: [HallEntry; 12] = [
    hall(
        "gz-city",
        "广州市法律援助处",
        "Guangzhou Legal Aid Office",
        "گۇاڭجۇ شەھەرلىك قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-yuexiu",
        "越秀区法律援助处",
        "Yuexiu District Legal Aid Office",
        "يۆشيۇ رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-haizhu",
        "海珠区法律援助处",
        "Haizhu District Legal Aid Office",
        "خەيجۇ رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-liwan",
        "荔湾区法律援助处",
        "Liwan District Legal Aid Office",
        "لىۋەن رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-tianhe",
        "天河区法律援助处",
        "Tianhe District Legal Aid Office",
        "تيەنخې رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-baiyun",
        "白云区法律援助处",
        "Baiyun District Legal Aid Office",
        "بەييۈن رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-huangpu",
        "黄埔区法律援助处",
        "Huangpu District Legal Aid Office",
        "خۇاڭپۇ رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-panyu",
        "番禺区法律援助处",
        "Panyu District Legal Aid Office",
        "پەنيۈ رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-huadu",
        "花都区法律援助处",
        "Huadu District Legal Aid Office",
        "خۇادۇ رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-nansha",
        "南沙区法律援助处",
        "Nansha District Legal Aid Office",
        "نەنشا رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-conghua",
        "从化区法律援助处",
        "Conghua District Legal Aid Office",
        "سۇڭخۇا رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
    hall(
        "gz-zengcheng",
        "增城区法律援助处",
        "Zengcheng District Legal Aid Office",
        "زېڭچېڭ رايونلۇق قانۇن ياردەم ئىشخانىسى",
    ),
];

const fn hall(id: &'static str, zh: &'static str, en: &'static str, ug: &'static str) -> HallEntry {
    HallEntry { id, zh, en, ug }
}

pub fn find(id: &str) -> Option<&'static HallEntry> {
    HALLS.iter().find(|h| h.id == id)
}

pub fn ids() -> Vec<&'static str> {
    HALLS.iter().map(|h| h.id).collect()
}

impl HallEntry {
    pub fn names(&self) -> Names {
        Names::new(self.zh, self.en, self.ug)
    }
}
