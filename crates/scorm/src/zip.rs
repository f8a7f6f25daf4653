//! A small ZIP writer and reader (PKWARE APPNOTE 6.3: local headers,
//! central directory, end record; methods 0 "stored" and 8 "deflate" via
//! `miniz_oxide`; CRC-32 by `crc32fast`). Enough for SCORM packages; the
//! reader exists to check what the writer made and never panics.

/// The CRC-32 (IEEE 802.3) of `data`, as ZIP stores it.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// MS-DOS time and date of 2026-01-05 08:00 (entries carry a fixed time so
/// a package is the same bytes every time).
const DOS_TIME: u16 = 8 << 11;
const DOS_DATE: u16 = ((2026 - 1980) << 9) | (1 << 5) | 5;

struct Entry {
    name: String,
    crc: u32,
    method: u16,
    compressed: u32,
    size: u32,
    offset: u32,
}

/// Builds a ZIP archive in memory.
#[derive(Default)]
pub struct ZipWriter {
    out: Vec<u8>,
    entries: Vec<Entry>,
}

fn u16le(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn u32le(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

impl ZipWriter {
    /// An empty archive.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file (deflated when that makes it smaller). Names use `/`.
    ///
    /// # Panics
    /// Past 4 GiB (ZIP64 is not written; no package comes near).
    pub fn add(&mut self, name: &str, data: &[u8]) {
        let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
        let (method, body): (u16, &[u8]) = if packed.len() < data.len() {
            (8, &packed)
        } else {
            (0, data)
        };
        let to32 = |n: usize| u32::try_from(n).expect("a package stays under 4 GiB");
        let e = Entry {
            name: name.to_string(),
            crc: crc32(data),
            method,
            compressed: to32(body.len()),
            size: to32(data.len()),
            offset: to32(self.out.len()),
        };
        let o = &mut self.out;
        u32le(o, 0x0403_4b50);
        u16le(o, 20); // version needed: 2.0 (deflate)
        u16le(o, 0x0800); // names are UTF-8
        u16le(o, e.method);
        u16le(o, DOS_TIME);
        u16le(o, DOS_DATE);
        u32le(o, e.crc);
        u32le(o, e.compressed);
        u32le(o, e.size);
        u16le(o, e.name.len() as u16);
        u16le(o, 0);
        o.extend_from_slice(e.name.as_bytes());
        o.extend_from_slice(body);
        self.entries.push(e);
    }

    /// The finished archive: central directory and end record appended.
    pub fn finish(mut self) -> Vec<u8> {
        let start = self.out.len() as u32;
        for e in &self.entries {
            let o = &mut self.out;
            u32le(o, 0x0201_4b50);
            u16le(o, 20); // made by: MS-DOS, 2.0
            u16le(o, 20);
            u16le(o, 0x0800);
            u16le(o, e.method);
            u16le(o, DOS_TIME);
            u16le(o, DOS_DATE);
            u32le(o, e.crc);
            u32le(o, e.compressed);
            u32le(o, e.size);
            u16le(o, e.name.len() as u16);
            u16le(o, 0); // extra
            u16le(o, 0); // comment
            u16le(o, 0); // disk
            u16le(o, 0); // internal attributes
            u32le(o, 0); // external attributes
            u32le(o, e.offset);
            o.extend_from_slice(e.name.as_bytes());
        }
        let size = self.out.len() as u32 - start;
        let n = self.entries.len() as u16;
        let o = &mut self.out;
        u32le(o, 0x0605_4b50);
        u16le(o, 0);
        u16le(o, 0);
        u16le(o, n);
        u16le(o, n);
        u32le(o, size);
        u32le(o, start);
        u16le(o, 0);
        self.out
    }
}

/// Reads every file of an archive written by [`ZipWriter`] (or any plain
/// ZIP with stored/deflated entries), checking each CRC.
///
/// # Errors
/// A sentence saying what is wrong; never panics.
pub fn read(zip: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let u16at = |i: usize| -> Result<u16, String> {
        zip.get(i..i + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| "cut short".to_string())
    };
    let u32at = |i: usize| -> Result<u32, String> {
        zip.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| "cut short".to_string())
    };
    let eocd = (0..zip.len().saturating_sub(21))
        .rev()
        .find(|&i| u32at(i) == Ok(0x0605_4b50))
        .ok_or("no end-of-central-directory record")?;
    let n = usize::from(u16at(eocd + 10)?);
    let mut p = u32at(eocd + 16)? as usize;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        if u32at(p)? != 0x0201_4b50 {
            return Err("bad central directory entry".into());
        }
        let method = u16at(p + 10)?;
        let crc = u32at(p + 16)?;
        let csize = u32at(p + 20)? as usize;
        let size = u32at(p + 24)? as usize;
        let nlen = usize::from(u16at(p + 28)?);
        let xlen = usize::from(u16at(p + 30)?);
        let clen = usize::from(u16at(p + 32)?);
        let off = u32at(p + 42)? as usize;
        let name = zip.get(p + 46..p + 46 + nlen).ok_or("cut short")?;
        let name = String::from_utf8_lossy(name).into_owned();
        p += 46 + nlen + xlen + clen;
        if u32at(off)? != 0x0403_4b50 {
            return Err(format!("{name}: bad local header"));
        }
        let data_at = off + 30 + usize::from(u16at(off + 26)?) + usize::from(u16at(off + 28)?);
        let body = zip
            .get(data_at..data_at + csize)
            .ok_or_else(|| format!("{name}: cut short"))?;
        let data = match method {
            0 => body.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(body, size)
                .map_err(|_| format!("{name}: bad deflate data"))?,
            m => return Err(format!("{name}: method {m} not supported")),
        };
        if data.len() != size || crc32(&data) != crc {
            return Err(format!("{name}: CRC or size mismatch"));
        }
        out.push((name, data));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn writes_what_it_reads_back() {
        let mut z = ZipWriter::new();
        let big = "lanlab ".repeat(1000);
        z.add("index.html", b"<!doctype html>");
        z.add("labs/lab.lanlab.json", big.as_bytes());
        z.add("empty.txt", b"");
        z.add("bin.wasm", &[0, 97, 115, 109, 1, 0, 0, 0]);
        let bytes = z.finish();
        let files = read(&bytes).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "index.html",
                "labs/lab.lanlab.json",
                "empty.txt",
                "bin.wasm"
            ]
        );
        assert_eq!(files[1].1, big.as_bytes());
        assert!(bytes.len() < big.len(), "the repetitive file was deflated");
        assert_eq!(files[3].1, [0, 97, 115, 109, 1, 0, 0, 0]);
        // Damage is reported, never a panic.
        let mut bad = bytes.clone();
        let i = bad.len() / 3;
        bad[i] ^= 0xff;
        let _ = read(&bad);
        for cut in 0..bytes.len() {
            let _ = read(&bytes[..cut]);
        }
        assert!(read(b"not a zip").is_err());
    }
}
