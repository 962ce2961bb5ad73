//! The directory a refresh writes the index through: tantivy's memory-mapped directory, but
//! with the list of files tantivy manages written once per commit instead of once per file.
//!
//! Tantivy keeps `.managed.json`, the files it created, so that a later writer can delete
//! those no segment uses any more. It rewrites that list (write, fdatasync, rename) each
//! time it creates a file: ten times for the re-index of one source, nearly half of that
//! commit's syncs. The list serves only that clean-up, so it may lag behind: a file it does
//! not name is never deleted (at worst, after a crash in the middle of a commit, a segment's
//! files stay until the next rebuild), and a file it names that is gone is skipped. So the
//! newest list is kept in memory, reads of it are answered from there, and it is written
//! before each `meta.json` (how a commit or a merge ends) and by [`WriteDirectory::flush`].

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, FileSlice, Lock, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};

/// Tantivy's list of the files it manages.
const MANAGED_LIST: &str = ".managed.json";
/// What a commit, and the end of a merge, writes last.
const META: &str = "meta.json";

#[derive(Clone, Debug)]
pub struct WriteDirectory {
    inner: MmapDirectory,
    list: Arc<PendingList>,
}

/// The newest managed list not yet on disk, shared by every clone of the directory (the
/// index, its writer's threads and its readers each hold one).
#[derive(Debug)]
struct PendingList {
    inner: MmapDirectory,
    bytes: Mutex<Option<Vec<u8>>>,
}

impl PendingList {
    fn lock(&self) -> MutexGuard<'_, Option<Vec<u8>>> {
        // The guarded value is plain bytes, whole at every point a panic could leave it.
        self.bytes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn flush(&self) -> io::Result<()> {
        let mut pending = self.lock();
        if let Some(bytes) = pending.as_deref() {
            self.inner.atomic_write(Path::new(MANAGED_LIST), bytes)?;
            *pending = None;
        }
        Ok(())
    }
}

impl Drop for PendingList {
    fn drop(&mut self) {
        // The last handle is gone; a list that cannot be written only leaves files behind.
        let _ = self.flush();
    }
}

impl WriteDirectory {
    pub fn open(dir: &Path) -> tantivy::Result<WriteDirectory> {
        let inner = MmapDirectory::open(dir)?;
        Ok(WriteDirectory {
            list: Arc::new(PendingList {
                inner: inner.clone(),
                bytes: Mutex::new(None),
            }),
            inner,
        })
    }

    /// Write the managed list if it changed since it was last written. A refresh calls it
    /// before it lets go of its lock, so that the next writer starts from the whole list.
    pub fn flush(&self) -> io::Result<()> {
        self.list.flush()
    }
}

fn is(path: &Path, name: &str) -> bool {
    path == Path::new(name)
}

impl Directory for WriteDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn open_read(&self, path: &Path) -> Result<FileSlice, OpenReadError> {
        self.inner.open_read(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        if is(path, MANAGED_LIST) && self.list.lock().is_some() {
            return Ok(true);
        }
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        if is(path, MANAGED_LIST)
            && let Some(bytes) = self.list.lock().as_ref()
        {
            return Ok(bytes.clone());
        }
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        if is(path, MANAGED_LIST) {
            *self.list.lock() = Some(data.to_vec());
            return Ok(());
        }
        if is(path, META) {
            self.list.flush()?;
        }
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn on_disk(dir: &Path) -> Option<String> {
        std::fs::read_to_string(dir.join(MANAGED_LIST)).ok()
    }

    #[test]
    fn the_list_waits_for_meta_and_is_read_back_from_memory() {
        let tmp = tempfile::tempdir().unwrap();
        let d = WriteDirectory::open(tmp.path()).unwrap();
        d.atomic_write(Path::new(MANAGED_LIST), b"[\"a\"]").unwrap();
        d.atomic_write(Path::new(MANAGED_LIST), b"[\"a\",\"b\"]")
            .unwrap();
        assert_eq!(on_disk(tmp.path()), None, "not written per file");
        assert_eq!(
            d.atomic_read(Path::new(MANAGED_LIST)).unwrap(),
            b"[\"a\",\"b\"]"
        );
        assert!(d.exists(Path::new(MANAGED_LIST)).unwrap());
        d.atomic_write(Path::new(META), b"{}").unwrap();
        assert_eq!(on_disk(tmp.path()).as_deref(), Some("[\"a\",\"b\"]"));
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(META)).unwrap(),
            "{}"
        );
    }

    #[test]
    fn flush_and_the_last_drop_write_what_is_pending() {
        let tmp = tempfile::tempdir().unwrap();
        let d = WriteDirectory::open(tmp.path()).unwrap();
        d.atomic_write(Path::new(MANAGED_LIST), b"[1]").unwrap();
        d.flush().unwrap();
        assert_eq!(on_disk(tmp.path()).as_deref(), Some("[1]"));
        let clone = d.clone();
        clone.atomic_write(Path::new(MANAGED_LIST), b"[2]").unwrap();
        drop(d);
        assert_eq!(
            on_disk(tmp.path()).as_deref(),
            Some("[1]"),
            "a clone still holds it"
        );
        drop(clone);
        assert_eq!(on_disk(tmp.path()).as_deref(), Some("[2]"));
    }

    #[test]
    fn an_index_written_through_it_opens_and_cleans_up_as_tantivy_would() {
        use tantivy::schema::{Schema, TEXT};
        use tantivy::{Index, IndexSettings, doc};
        let tmp = tempfile::tempdir().unwrap();
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create(
            WriteDirectory::open(tmp.path()).unwrap(),
            schema.build(),
            IndexSettings::default(),
        )
        .unwrap();
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for round in 0..3 {
            writer
                .add_document(doc!(body => format!("ronde {round}")))
                .unwrap();
            writer.commit().unwrap();
        }
        writer.wait_merging_threads().unwrap();
        drop(index);
        let listed: Vec<PathBuf> =
            serde_json::from_str(&on_disk(tmp.path()).expect("the list is written")).unwrap();
        let reopened = Index::open_in_dir(tmp.path()).unwrap();
        let live = reopened.searchable_segment_ids().unwrap();
        assert_eq!(live.len(), 3);
        for id in live {
            let store = PathBuf::from(format!("{}.store", id.uuid_string()));
            assert!(listed.contains(&store), "{store:?} is managed");
        }
        assert_eq!(reopened.reader().unwrap().searcher().num_docs(), 3);
    }
}
