//! Compound tails, looked up at query time: the compounds a word ends (welzijn →
//! docentenwelzijn). Per index segment and text field, a sorted list of the field's terms
//! written backwards, so that the words ending in a stem are one range of it. It is built
//! from the segment's own term dictionary — once: a segment never changes once written — and
//! kept beside the index (`index/visgraat-tails/`), so a process that lives for one search
//! reads it (memory-mapped, nothing parsed: a binary search over sorted keys) instead of
//! building it.
//!
//! It replaces an indexed field of reversed stems, which cost every build a third analysis
//! of every token and postings for each; this costs a pass over each new segment's terms.
//!
//! A key is a term reversed, a separator and a mark: `~` for a marked stem (`~werkdruk`,
//! which words that differ from their stem carry), `=` for a word as written. A word as
//! written takes part only when it is its own stem, which is checked at query time for the
//! few that end in the asked stem, so the build stems nothing.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::Directory;
use tantivy::directory::{FileSlice, MmapDirectory, OwnedBytes};
use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::{Searcher, SegmentReader};

use super::analyzer;
use super::snippet::MIN_TAIL_CHARS;
use super::term_set::MatchedSets;

/// The folder beside the index that keeps the lists.
const DIR: &str = "visgraat-tails";
/// Between a reversed term and its mark (below every char a term can hold).
const SEPARATOR: u8 = 1;
const MARKED: u8 = b'~';
const WRITTEN: u8 = b'=';

/// What a kept list starts with: the format, then the number of keys (u32, little-endian).
const MAGIC: &[u8; 8] = b"vgtails1";

/// The reversed terms of one segment's text field, sorted: the bytes of a kept list
/// (`MAGIC`, the number of keys, the end of every key in the key bytes, the key bytes), read
/// where they lie — a binary search needs no parsing.
pub struct TailList(OwnedBytes);

impl TailList {
    /// From the segment's term dictionary: every term whose stem may end a compound (longer
    /// than [`MIN_TAIL_CHARS`]), as a kept list's bytes.
    pub fn build(reader: &SegmentReader, field: Field) -> tantivy::Result<Vec<u8>> {
        let inverted = reader.inverted_index(field)?;
        let terms = inverted.terms().num_terms();
        let mut bytes: Vec<u8> = Vec::with_capacity(terms * 12);
        // Each key's first eight bytes as a number, and where it lies in `bytes`: sorted by
        // the number, then by the rest, most comparisons are one integer's, not a call to
        // compare bytes.
        let mut keys: Vec<(u64, (u32, u32))> = Vec::with_capacity(terms);
        let mut stream = inverted.terms().stream()?;
        let mut buf = [0u8; 4];
        while let Some((term, _)) = stream.next() {
            let Ok(term) = std::str::from_utf8(term) else {
                continue;
            };
            let (text, mark) = match term.strip_prefix(analyzer::STEM_MARK) {
                Some(stem) => (stem, MARKED),
                None => (term, WRITTEN),
            };
            if text.len() <= MIN_TAIL_CHARS || text.chars().count() <= MIN_TAIL_CHARS {
                continue;
            }
            let (Ok(start), Ok(len)) = (u32::try_from(bytes.len()), u32::try_from(text.len() + 2))
            else {
                break;
            };
            for c in text.chars().rev() {
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            bytes.extend_from_slice(&[SEPARATOR, mark]);
            let key = &bytes[start as usize..];
            let mut head = [0u8; 8];
            head[..key.len().min(8)].copy_from_slice(&key[..key.len().min(8)]);
            keys.push((u64::from_be_bytes(head), (start, len)));
        }
        let key = |&(start, len): &(u32, u32)| &bytes[start as usize..(start + len) as usize];
        keys.sort_unstable_by(|(ha, a), (hb, b)| ha.cmp(hb).then_with(|| key(a).cmp(key(b))));
        let mut keys: Vec<(u32, u32)> = keys.into_iter().map(|(_, k)| k).collect();
        keys.dedup_by(|a, b| key(a) == key(b));
        let total: usize = keys.iter().map(|&(_, len)| len as usize).sum();
        let mut out = Vec::with_capacity(MAGIC.len() + 4 + 4 * keys.len() + total);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        let mut end = 0u32;
        for &(_, len) in &keys {
            end += len;
            out.extend_from_slice(&end.to_le_bytes());
        }
        for k in &keys {
            out.extend_from_slice(key(k));
        }
        Ok(out)
    }

    /// A list over a kept list's bytes, if they hold one whole (read where they lie: a
    /// mapped file's bytes are not copied).
    fn open(file: FileSlice) -> Option<TailList> {
        let list = TailList(file.read_bytes().ok()?);
        let bytes = list.0.as_slice();
        let count = list.count()?;
        let keys_at = (MAGIC.len() + 4).checked_add(count.checked_mul(4)?)?;
        let last = match count {
            0 => 0,
            n => list.end(n - 1)?,
        };
        (bytes.starts_with(MAGIC) && keys_at.checked_add(last)? == bytes.len()).then_some(list)
    }

    fn count(&self) -> Option<usize> {
        let b = self.0.as_slice().get(MAGIC.len()..MAGIC.len() + 4)?;
        Some(u32::from_le_bytes(b.try_into().ok()?) as usize)
    }

    /// Where key `i` ends in the key bytes.
    fn end(&self, i: usize) -> Option<usize> {
        let at = MAGIC.len() + 4 + 4 * i;
        let b = self.0.as_slice().get(at..at + 4)?;
        Some(u32::from_le_bytes(b.try_into().ok()?) as usize)
    }

    /// Key `i`; None when the list is damaged there.
    fn key(&self, i: usize) -> Option<&[u8]> {
        let keys_at = MAGIC.len() + 4 + 4 * self.count()?;
        let start = if i == 0 { 0 } else { self.end(i - 1)? };
        let end = self.end(i)?;
        self.0
            .as_slice()
            .get(keys_at + start..keys_at.checked_add(end)?)
    }

    /// The segment's terms that end in `stem`, are longer, and may be a compound of it:
    /// marked stems, and words as written that are their own stem. Each is added to `all`
    /// while it holds fewer than `max`; those in `all` are returned.
    fn compounds_into(&self, stem: &str, max: usize, all: &mut BTreeSet<String>) -> Vec<String> {
        let mut own = Vec::new();
        let reversed: String = stem.chars().rev().collect();
        let prefix = reversed.as_bytes();
        // The first key not below the prefix (a damaged key counts as below: the search
        // ends somewhere, and the walk below stops at it).
        let count = self.count().unwrap_or(0);
        let (mut low, mut high) = (0, count);
        while low < high {
            let mid = (low + high) / 2;
            match self.key(mid) {
                Some(key) if key >= prefix => high = mid,
                _ => low = mid + 1,
            }
        }
        for i in low..count {
            let Some(key) = self.key(i) else {
                break;
            };
            let Some(rest) = key.strip_prefix(prefix) else {
                break;
            };
            let Some((&mark, rest)) = rest.split_last() else {
                continue;
            };
            let Some((&SEPARATOR, longer)) = rest.split_last() else {
                continue;
            };
            // The stem itself is no compound of it: its forms are matched beside (and it is
            // the most frequent term of the range, whose postings a set query would read).
            if longer.is_empty() {
                continue;
            }
            let Ok(text) = std::str::from_utf8(&key[..prefix.len() + longer.len()]) else {
                continue;
            };
            let text: String = text.chars().rev().collect();
            let term = match mark {
                MARKED => analyzer::marked(&text),
                WRITTEN if analyzer::stem(&text) == text.as_str() => text,
                _ => continue,
            };
            if all.contains(&term) || (all.len() < max && all.insert(term.clone())) {
                own.push(term);
            }
        }
        own
    }
}

/// The compounds of a stem: all of them, and each segment's own (a segment's terms are
/// looked up in that segment only: most compounds occur in few segments).
#[derive(Debug, Clone, Default)]
pub struct Compounds {
    words: Vec<String>,
    by_segment: HashMap<SegmentId, Vec<String>>,
    /// The documents they match, per segment: the searcher's, kept across searches.
    sets: Arc<MatchedSets>,
}

impl Compounds {
    /// All of them, sorted.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The ones in `segment`; for a segment whose list could not be read, all of them.
    pub fn in_segment(&self, segment: SegmentId) -> &[String] {
        self.by_segment.get(&segment).unwrap_or(&self.words)
    }

    /// Where the documents they match are kept.
    pub fn sets(&self) -> &MatchedSets {
        &self.sets
    }
}

/// The lists of the segments a searcher has seen, by segment and field; with a folder, also
/// kept on disk. Also the compounds found in them, and the documents those match
/// (`term_set`).
#[derive(Default)]
pub struct Tails {
    lists: Mutex<HashMap<(SegmentId, Field), Arc<TailList>>>,
    disk: Option<PathBuf>,
    found: Mutex<HashMap<FoundKey, Found>>,
    sets: Arc<MatchedSets>,
}

/// Compounds found: by field, stem and most compounds taken; kept with the segments they
/// were found in.
type FoundKey = (Field, String, usize);
type Found = (Vec<SegmentId>, Arc<Compounds>);

impl Tails {
    /// Lists kept in `index_dir`'s folder for them: read from there, written there when
    /// missing.
    pub fn beside(index_dir: &Path) -> Tails {
        Tails {
            disk: Some(index_dir.join(DIR)),
            ..Tails::default()
        }
    }

    /// The text field's terms that may be compounds ending in `stem`, in every segment of
    /// `searcher` (at most `max` different ones). Kept while the searcher's segments are the
    /// same: a search looks them up per phase, and typing one looks them up per keystroke
    /// (a stem that ends 89 words: 75 µs, more than the search it is for).
    pub fn compounds(
        &self,
        searcher: &Searcher,
        field: Field,
        stem: &str,
        max: usize,
    ) -> Arc<Compounds> {
        let segments: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        let key = (field, stem.to_string(), max);
        if let Ok(found) = self.found.lock()
            && let Some((in_segments, compounds)) = found.get(&key)
            && *in_segments == segments
        {
            return compounds.clone();
        }
        let compounds = Arc::new(self.find_compounds(searcher, field, stem, max));
        if let Ok(mut found) = self.found.lock() {
            // Stems typed once and segments merged away: start again past a bound.
            if found.len() >= 1024 {
                found.clear();
            }
            found.insert(key, (segments, compounds.clone()));
        }
        compounds
    }

    fn find_compounds(
        &self,
        searcher: &Searcher,
        field: Field,
        stem: &str,
        max: usize,
    ) -> Compounds {
        let mut all = BTreeSet::new();
        let mut by_segment = HashMap::new();
        for reader in searcher.segment_readers() {
            if let Some(list) = self.list(reader, field) {
                by_segment.insert(
                    reader.segment_id(),
                    list.compounds_into(stem, max, &mut all),
                );
            }
        }
        Compounds {
            words: all.into_iter().collect(),
            by_segment,
            sets: self.sets.clone(),
        }
    }

    fn list(&self, reader: &SegmentReader, field: Field) -> Option<Arc<TailList>> {
        let key = (reader.segment_id(), field);
        if let Some(list) = self.lists.lock().ok()?.get(&key) {
            return Some(list.clone());
        }
        let list = Arc::new(match self.read(key) {
            Some(list) => list,
            None => {
                let bytes = TailList::build(reader, field).ok()?;
                self.write(key, &bytes);
                TailList::open(FileSlice::from(bytes))?
            }
        });
        let mut lists = self.lists.lock().ok()?;
        // Segments merged away leave lists nobody asks for: start again past a bound.
        if lists.len() >= 256 {
            lists.clear();
        }
        lists.insert(key, list.clone());
        Some(list)
    }

    fn file(&self, (segment, field): (SegmentId, Field)) -> Option<PathBuf> {
        let dir = self.disk.as_ref()?;
        Some(dir.join(format!("{}-{}", segment.uuid_string(), field.field_id())))
    }

    /// The list kept on disk, if it opens (a damaged one is built again). Memory-mapped by
    /// tantivy's own directory: a kept list is only ever replaced by a rename, never written
    /// in place.
    fn read(&self, key: (SegmentId, Field)) -> Option<TailList> {
        let dir = self.disk.as_ref()?;
        let name = self.file(key)?.file_name()?.to_owned();
        let slice = MmapDirectory::open(dir)
            .ok()?
            .open_read(Path::new(&name))
            .ok()?;
        TailList::open(slice)
    }

    /// Keep `bytes` for `key`: a temp file renamed into place (a cache: a lost or torn file
    /// is built again, so no fsync).
    fn write(&self, key: (SegmentId, Field), bytes: &[u8]) {
        let (Some(dir), Some(path)) = (self.disk.as_ref(), self.file(key)) else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let temp = dir.join(format!(
            ".{}-{}.{}.tmp",
            key.0.uuid_string(),
            key.1.field_id(),
            std::process::id()
        ));
        if std::fs::write(&temp, bytes).is_err() || std::fs::rename(&temp, &path).is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
}

/// After a commit: a list for every segment and text field of the index that has none,
/// built on two threads, and the lists of segments that are gone removed.
pub fn keep_for(index_dir: &Path, searcher: &Searcher, fields: &[Field]) {
    let tails = Tails::beside(index_dir);
    let wanted: Vec<(&SegmentReader, Field)> = searcher
        .segment_readers()
        .iter()
        .flat_map(|r| fields.iter().map(move |&f| (r, f)))
        .collect();
    let missing: Vec<&(&SegmentReader, Field)> = wanted
        .iter()
        .filter(|(r, f)| tails.read((r.segment_id(), *f)).is_none())
        .collect();
    std::thread::scope(|scope| {
        let (first, second) = missing.split_at(missing.len() / 2);
        let tails = &tails;
        let build = move |part: &[&(&SegmentReader, Field)]| {
            for (reader, field) in part {
                if let Ok(bytes) = TailList::build(reader, *field) {
                    tails.write((reader.segment_id(), *field), &bytes);
                }
            }
        };
        scope.spawn(move || build(second));
        build(first);
    });
    let keep: std::collections::HashSet<PathBuf> = wanted
        .iter()
        .filter_map(|(r, f)| tails.file((r.segment_id(), *f)))
        .collect();
    if let Ok(listing) = std::fs::read_dir(index_dir.join(DIR)) {
        for entry in listing.flatten() {
            if !keep.contains(&entry.path()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::schema::Schema;
    use tantivy::{Index, doc};

    use super::*;

    fn index(texts: &[&str]) -> (Index, Field) {
        let mut b = Schema::builder();
        let text = b.add_text_field("text", crate::index::schema::text_options());
        let index = Index::create_in_ram(b.build());
        analyzer::register(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 20_000_000).unwrap();
        for t in texts {
            writer.add_document(doc!(text => *t)).unwrap();
        }
        writer.commit().unwrap();
        (index, text)
    }

    #[test]
    fn compounds_are_marked_stems_and_own_stem_words_ending_in_the_stem() {
        let (index, text) = index(&[
            "het docentenwelzijn en de werkdrukken",
            "welzijn van teams, lopen en openen",
        ]);
        let searcher = index.reader().unwrap().searcher();
        let tails = Tails::default();
        let welzijn = tails
            .compounds(&searcher, text, "welzijn", 100)
            .words()
            .to_vec();
        assert!(
            welzijn.contains(&"docentenwelzijn".to_string()),
            "{welzijn:?}"
        );
        assert!(
            !welzijn.contains(&"welzijn".to_string()),
            "the stem itself is no compound"
        );
        let druk = tails
            .compounds(&searcher, text, "druk", 100)
            .words()
            .to_vec();
        assert_eq!(
            druk,
            [analyzer::marked("werkdruk")],
            "the marked stem, not the word"
        );
        // "lopen" ends in "open" as written, but its stem (lop) does not: no compound.
        let open = tails
            .compounds(&searcher, text, "open", 100)
            .words()
            .to_vec();
        assert!(!open.contains(&"lopen".to_string()), "{open:?}");
    }

    #[test]
    fn found_compounds_are_kept_while_the_segments_are_the_same() {
        let (index, text) = index(&["het docentenwelzijn"]);
        let reader = index.reader().unwrap();
        let tails = Tails::default();
        let first = tails.compounds(&reader.searcher(), text, "welzijn", 10);
        let again = tails.compounds(&reader.searcher(), text, "welzijn", 10);
        assert!(Arc::ptr_eq(&first, &again), "kept");
        assert!(!Arc::ptr_eq(
            &first,
            &tails.compounds(&reader.searcher(), text, "welzijn", 1)
        ));
        // A new segment: found again, with its compounds.
        let mut writer = index.writer_with_num_threads(1, 20_000_000).unwrap();
        writer
            .add_document(doc!(text => "het teamwelzijn"))
            .unwrap();
        writer.commit().unwrap();
        reader.reload().unwrap();
        let now = tails.compounds(&reader.searcher(), text, "welzijn", 10);
        assert_eq!(now.words(), ["docentenwelzijn", "teamwelzijn"]);
    }

    #[test]
    fn kept_lists_are_read_back_and_a_damaged_one_is_built_again() {
        let dir = tempfile::tempdir().unwrap();
        let (index, text) = index(&["het docentenwelzijn"]);
        let searcher = index.reader().unwrap().searcher();
        keep_for(dir.path(), &searcher, &[text]);
        let kept: Vec<_> = std::fs::read_dir(dir.path().join(DIR)).unwrap().collect();
        assert_eq!(kept.len(), 1);
        let found = Tails::beside(dir.path()).compounds(&searcher, text, "welzijn", 10);
        assert_eq!(found.words(), ["docentenwelzijn"]);
        let path = kept[0].as_ref().unwrap().path();
        std::fs::write(&path, b"garbled").unwrap();
        let found = Tails::beside(dir.path()).compounds(&searcher, text, "welzijn", 10);
        assert_eq!(found.words(), ["docentenwelzijn"]);
    }
}
