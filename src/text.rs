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

/// True when the text holds control characters (NUL included) other than tab/newline, or
/// invisible formatting characters (zero-width, bidirectional overrides, soft hyphen) that
/// make two different strings look the same on screen and in print.
pub fn has_control_chars(input: &str) -> bool {
    input.chars().any(|c| (c.is_control() && c != '\n' && c != '\t' && c != '\r') || is_invisible_format(c))
}

fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// True when a name mixes Latin letters with Cyrillic or Greek ones, the usual way of
/// spoofing a name with look-alike letters (`Nguyễn` with a Cyrillic `е`).
pub fn mixes_confusable_scripts(input: &str) -> bool {
    let latin = input
        .chars()
        .any(|c| c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'));
    let lookalike = input.chars().any(|c| matches!(c, '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{052F}'));
    latin && lookalike
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
    fn detects_control_and_invisible_characters() {
        let cases = [
            ("a\0b", true),
            ("line\nnext", false),
            ("Nguyễn\u{200B}Văn", true),
            ("An\u{202E}nịuq", true),
            ("\u{FEFF}An", true),
            ("Đặng Thị Hoa", false),
        ];
        for (input, expected) in cases {
            assert_eq!(has_control_chars(input), expected, "{input:?}");
        }
    }

    #[test]
    fn detects_look_alike_scripts_in_names() {
        let cases = [
            ("Nguyễn Văn An", false),
            ("Nguy\u{0435}n V\u{0103}n An", true), // Cyrillic е
            ("\u{0391}nh", true),                  // Greek Α
            ("Иван Петров", false),                // one script throughout
            ("H'Hen Niê", false),
        ];
        for (input, expected) in cases {
            assert_eq!(mixes_confusable_scripts(input), expected, "{input}");
        }
    }
}
