//! Paths into a [`super::Tree`] (`a.b[0].c`), naming the field a diagnostic is about.

/// One step of a path into a [`super::Tree`]: an object key or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSeg<'a> {
    /// An object key.
    Key(&'a str),
    /// A list index.
    Index(usize),
}

/// Writes a path as `a.b[0].c`.
pub fn path_string(path: &[PathSeg<'_>]) -> String {
    let mut s = String::new();
    for p in path {
        match p {
            PathSeg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
            PathSeg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
        }
    }
    s
}
