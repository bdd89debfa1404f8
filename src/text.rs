//! Text helpers for Vietnamese: NFC normalisation of stored names and an accent-free
//! "folded" form used for accent-insensitive search (`nguyen van an` finds `Nguyễn Văn An`).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-case, strips every diacritic (tones and vowel marks), maps đ/Đ to d and collapses
/// runs of white space. Both the stored column and the query go through this.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for ch in input.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        for lower in ch.to_lowercase() {
            out.push(lower);
        }
    }
    out
}

/// Normalises user text to NFC and trims it, so that the same name typed with combining
/// marks or precomposed letters is stored identically.
pub fn normalize(input: &str) -> String {
    input.trim().nfc().collect()
}

/// True when the text holds control characters (NUL included) other than tab/newline.
pub fn has_control_chars(input: &str) -> bool {
    input.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_every_vietnamese_diacritic() {
        let cases = [
            ("Nguyễn Văn An", "nguyen van an"),
            ("Xã Ngọc Liên", "xa ngoc lien"),
            ("ĐẶNG Thị Đào", "dang thi dao"),
            ("àáảãạ ăằắẳẵặ âầấẩẫậ", "aaaaa aaaaaa aaaaaa"),
            ("èéẻẽẹ êềếểễệ", "eeeee eeeeee"),
            ("ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ", "iiiii ooooo oooooo oooooo"),
            ("ùúủũụ ưừứửữự ỳýỷỹỵ", "uuuuu uuuuuu yyyyy"),
            ("  Phường   Hoàn  Kiếm ", "phuong hoan kiem"),
            ("Phường B'Lao", "phuong b'lao"),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "{input}");
        }
    }

    #[test]
    fn decomposed_and_precomposed_fold_alike() {
        let decomposed = "Nguye\u{0302}\u{0303}n";
        assert_eq!(fold(decomposed), fold("Nguyễn"));
        assert_eq!(normalize(decomposed), "Nguyễn");
    }

    #[test]
    fn detects_control_characters() {
        assert!(has_control_chars("a\0b"));
        assert!(!has_control_chars("line\nnext"));
    }
}
