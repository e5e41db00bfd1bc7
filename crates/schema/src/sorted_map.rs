//! The name-keyed maps of a block, read as a run of entries and built in one pass:
//! `terraform providers schema -json` writes keys sorted, and a bulk build from sorted
//! entries skips the search down the tree that an insert per key makes (at start-up,
//! most of a type's parse was those inserts).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

/// Deserializes a JSON object into a `BTreeMap` the way `BTreeMap`'s own impl does
/// (a repeated key keeps its last value), building it at once.
pub(crate) fn deserialize<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    d.deserialize_map(Entries(PhantomData))
}

struct Entries<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
    type Value = BTreeMap<String, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(entry) = map.next_entry::<String, V>()? {
            entries.push(entry);
        }
        // `collect` sorts stably (already sorted: one pass), keeps the last of equal
        // keys, and builds the tree bottom-up.
        Ok(entries.into_iter().collect())
    }
}
