//! The conversation view's explanations of mail extensions at work
//! ([`Hint`]), in the user's language. English is the simulator's own
//! wording.

use lanlab_sim::conversation::Hint;

use super::Lang;

/// RFC 3463's subject of an enhanced status code, in Bahasa Indonesia.
fn subject_id(subject: u16) -> &'static str {
    match subject {
        1 => "alamat (mailbox atau alamat email)",
        2 => "mailbox penerima",
        3 => "sistem email",
        4 => "jaringan dan routing",
        5 => "protokol email (perintah dan urutannya)",
        6 => "isi pesan",
        7 => "keamanan atau kebijakan",
        _ => "lain-lain",
    }
}

/// `hint` worded for `lang`.
pub fn conversation_hint(lang: Lang, hint: &Hint) -> String {
    if lang == Lang::En {
        return hint.to_string();
    }
    match hint {
        Hint::Capability => {
            "CAPABILITY: klien menanyakan apa saja yang ditawarkan server sebelum memakai ekstensi apa pun".into()
        }
        Hint::Unselect => {
            "UNSELECT (RFC 3691): keluar dari folder tanpa menghapus apa pun (CLOSE akan menghapus pesan bertanda \\Deleted)".into()
        }
        Hint::Close => "CLOSE: keluar dari folder dan menghapus pesan bertanda \\Deleted".into(),
        Hint::Move => {
            "MOVE (RFC 6851): memindahkan pesan ke folder lain dalam satu langkah, pengganti COPY, STORE \\Deleted dan EXPUNGE; klien menghapus pesan dengan memindahkannya ke Trash".into()
        }
        Hint::UidFetch => {
            "UID FETCH: menyebut pesan dengan UID, yang tetap, bukan dengan nomor urut, yang bergeser jika ada pesan yang dihapus".into()
        }
        Hint::UidStore => "UID STORE: mengubah flag pesan yang disebut dengan UID".into(),
        Hint::UidSearch => {
            "UID SEARCH: server mencari di folder dan menjawab dengan UID".into()
        }
        Hint::UidCopy => "UID COPY: menyalin pesan yang disebut dengan UID ke folder lain".into(),
        Hint::UidExpunge => {
            "UID EXPUNGE (RFC 4315): hanya menghapus pesan \\Deleted yang disebut ini, bukan yang ditandai klien lain".into()
        }
        Hint::Expunge => "EXPUNGE: menghapus semua pesan di folder yang bertanda \\Deleted".into(),
        Hint::HighestModseq => {
            "HIGHESTMODSEQ (RFC 7162 CONDSTORE): setiap perubahan di folder mendapat nomor yang lebih tinggi; klien yang mengingatnya hanya meminta yang berubah sejak itu".into()
        }
        Hint::EnhancedStatusCodes => {
            "ENHANCEDSTATUSCODES (RFC 2034): setiap balasan membawa kode kelas.subjek.detail setelah tiga angkanya".into()
        }
        Hint::EnhancedCode {
            class,
            subject,
            detail,
        } => {
            let what = match class {
                2 => "berhasil",
                4 => "gagal sementara, coba lagi nanti",
                _ => "gagal permanen",
            };
            format!(
                "{class}.{subject}.{detail} (RFC 3463): {what}; tentang {}",
                subject_id(*subject)
            )
        }
        Hint::Auth => {
            "AUTH (RFC 4954): klien login dulu sebelum boleh mengirim, seperti yang diminta port submission 587".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_word_every_subject() {
        let h = Hint::EnhancedCode {
            class: 2,
            subject: 1,
            detail: 5,
        };
        assert_eq!(
            conversation_hint(Lang::En, &h),
            "2.1.5 (RFC 3463): success; about addressing (a mailbox or address)"
        );
        assert_eq!(
            conversation_hint(Lang::Id, &h),
            "2.1.5 (RFC 3463): berhasil; tentang alamat (mailbox atau alamat email)"
        );
        assert!(conversation_hint(Lang::Id, &Hint::Unselect).contains("tanpa menghapus"));
    }
}
