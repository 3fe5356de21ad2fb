//! How a number is said, as the keys of the number words a voice pack holds (`num-<key>`):
//! 23 in English is [20, 3], in Chinese [2, 10, 3], 12,000 in Uyghur [10, 2, 1000]. Pure.

/// 十二, 一百零五, 一千零五十: units with a single 零 for a gap; 10–19 without the leading 一.
/// 0–99,999,999 as Chinese number words: 万 groups four digits (一万二千三百四十五), a zero
/// inside is said once (一千零五), and a leading 一十 is just 十 (十二, but 一万零一十).
pub(super) fn chinese_number(n: u32) -> Option<Vec<u32>> {
    if n > 99_999_999 {
        return None;
    }
    if n < 10 {
        return Some(vec![n]);
    }
    let mut out = Vec::new();
    let (high, low) = (n / 10_000, n % 10_000);
    if high > 0 {
        chinese_below_ten_thousand(high, &mut out);
        out.push(10_000);
        if low > 0 && low < 1000 {
            out.push(0);
        }
    }
    if low > 0 {
        chinese_below_ten_thousand(low, &mut out);
    }
    Some(out)
}

fn chinese_below_ten_thousand(n: u32, out: &mut Vec<u32>) {
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = [1000, 100, 10, 1];
    let at_start = out.is_empty();
    let mut started = false;
    let mut pending_zero = false;
    for (d, unit) in digits.into_iter().zip(units) {
        if d == 0 {
            pending_zero = started;
            continue;
        }
        if pending_zero {
            out.push(0);
            pending_zero = false;
        }
        let leading_ten = at_start && !started && unit == 10 && d == 1;
        if !leading_ten {
            out.push(d);
        }
        if unit > 1 {
            out.push(unit);
        }
        started = true;
    }
}

fn english_below_hundred(n: u32, out: &mut Vec<u32>) {
    if n < 20 {
        out.push(n);
    } else {
        out.push(n / 10 * 10);
        if !n.is_multiple_of(10) {
            out.push(n % 10);
        }
    }
}

/// 0–999,999 as English number words ("twelve thousand five hundred").
pub(super) fn english_number(n: u32) -> Option<Vec<u32>> {
    if n > 999_999 {
        return None;
    }
    if n == 0 {
        return Some(vec![0]);
    }
    let mut out = Vec::new();
    if n >= 1000 {
        english_below_thousand(n / 1000, &mut out);
        out.push(1000);
    }
    english_below_thousand(n % 1000, &mut out);
    Some(out)
}

fn english_below_thousand(n: u32, out: &mut Vec<u32>) {
    if n >= 100 {
        out.extend([n / 100, 100]);
    }
    if !n.is_multiple_of(100) {
        english_below_hundred(n % 100, out);
    }
}

/// يىگىرمە ئۈچ (23), يۈز (100), ئىككى يۈز (200), مىڭ (1000), ئون ئىككى مىڭ (12,000);
/// 0–999,999.
pub(super) fn uyghur_number(n: u32) -> Option<Vec<u32>> {
    if n > 999_999 {
        return None;
    }
    if n == 0 {
        return Some(vec![0]);
    }
    let mut out = Vec::new();
    let thousands = n / 1000;
    if thousands > 1 {
        uyghur_below_thousand(thousands, &mut out);
    }
    if thousands > 0 {
        out.push(1000);
    }
    uyghur_below_thousand(n % 1000, &mut out);
    Some(out)
}

fn uyghur_below_thousand(n: u32, out: &mut Vec<u32>) {
    let hundreds = n / 100;
    if hundreds > 1 {
        out.push(hundreds);
    }
    if hundreds > 0 {
        out.push(100);
    }
    if n % 100 >= 10 {
        out.push(n % 100 / 10 * 10);
    }
    if !n.is_multiple_of(10) {
        out.push(n % 10);
    }
}
