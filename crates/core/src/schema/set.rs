//! The registry of provider schemas the check knows: parsed ones added whole, and
//! embedded ones parsed only when a block of their provider is first checked.

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::sync::Arc;

use terrane_schema::{Block, LazySchema, ParseError, ProviderSchema};

use crate::error::{Error, Result};
use crate::resource::BlockKind;
use crate::stack::Stack;

/// Where one provider's schema comes from.
#[derive(Debug, Clone)]
enum Source {
    /// Parsed by the caller.
    Parsed(Arc<ProviderSchema>),
    /// Embedded and parsed at first use (once per process).
    Embedded(&'static LazySchema),
}

/// The schemas the offline check knows, looked up by type name.
///
/// An embedded schema ([`SchemaSet::add_embedded`]) is consulted for the types named
/// `<provider>_…` (Terraform's own rule for a type's implied provider) and is parsed
/// the first time one of them, or its provider block, is looked up.
#[derive(Debug, Clone, Default)]
pub struct SchemaSet {
    providers: Vec<Source>,
    resources: FxHashMap<String, usize>,
    data: FxHashMap<String, usize>,
    ephemeral: FxHashMap<String, usize>,
    by_name: FxHashMap<String, usize>,
}

impl SchemaSet {
    /// An empty set (no check).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a parsed provider schema.
    pub fn add(&mut self, p: Arc<ProviderSchema>) -> &mut Self {
        let i = self.providers.len();
        for ty in p.resources.keys() {
            self.resources.insert(ty.clone(), i);
        }
        for ty in p.data_sources.keys() {
            self.data.insert(ty.clone(), i);
        }
        for ty in p.ephemeral_resources.keys() {
            self.ephemeral.insert(ty.clone(), i);
        }
        self.by_name.insert(p.name.clone(), i);
        self.providers.push(Source::Parsed(p));
        self
    }

    /// Adds an embedded provider schema without parsing it (see the type's docs).
    pub fn add_embedded(&mut self, p: &'static LazySchema) -> &mut Self {
        self.by_name
            .insert(p.name().to_string(), self.providers.len());
        self.providers.push(Source::Embedded(p));
        self
    }

    /// This set, plus the embedded schema of every provider `stacks` require that the
    /// set does not know yet: the one the requirement carries (a crate made by
    /// `terrane get`), else core's own ([`terrane_schema::embedded`]). The check is on
    /// for hashicorp/aws, google, helm, random and every generated crate's provider
    /// whether or not the app registered them.
    pub(crate) fn with_required<'a>(&'a self, stacks: &[Stack]) -> Cow<'a, SchemaSet> {
        let mut set = Cow::Borrowed(self);
        for p in stacks.iter().flat_map(|s| &s.required_providers) {
            let Some(known) = p
                .schema()
                .or_else(|| terrane_schema::embedded::for_requirement(&p.source, &p.version))
            else {
                continue;
            };
            if !set.knows_provider(known.name()) {
                set.to_mut().add_embedded(known);
            }
        }
        set
    }

    /// Adds every provider of another set.
    pub fn extend(&mut self, other: SchemaSet) {
        for p in other.providers {
            match p {
                Source::Parsed(p) => self.add(p),
                Source::Embedded(p) => self.add_embedded(p),
            };
        }
    }

    /// True when no schema is registered.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }

    /// The schema of a resource type, if known.
    ///
    /// # Panics
    /// When an embedded schema does not parse: it is part of the binary, and the
    /// crate embedding it tests that it parses ([`SchemaSet::load_all`]).
    pub fn resource(&self, ty: &str) -> Option<&Block> {
        match self.resources.get(ty).map(|i| &self.providers[*i]) {
            Some(Source::Parsed(p)) => p.resource(ty),
            _ => self
                .embedded_for(ty)
                .and_then(|l| or_panic(l, l.resource(ty))),
        }
    }

    /// The schema of a data source type, if known (panics as [`SchemaSet::resource`]).
    pub fn data_source(&self, ty: &str) -> Option<&Block> {
        match self.data.get(ty).map(|i| &self.providers[*i]) {
            Some(Source::Parsed(p)) => p.data_source(ty),
            _ => self
                .embedded_for(ty)
                .and_then(|l| or_panic(l, l.data_source(ty))),
        }
    }

    /// The schema of an ephemeral resource type, if known (panics as [`SchemaSet::resource`]).
    pub fn ephemeral_resource(&self, ty: &str) -> Option<&Block> {
        match self.ephemeral.get(ty).map(|i| &self.providers[*i]) {
            Some(Source::Parsed(p)) => p.ephemeral_resource(ty),
            _ => self
                .embedded_for(ty)
                .and_then(|l| or_panic(l, l.ephemeral_resource(ty))),
        }
    }

    /// The provider configuration schema, if known (panics as [`SchemaSet::resource`]).
    pub fn provider(&self, name: &str) -> Option<&Block> {
        match self.by_name.get(name).map(|i| &self.providers[*i])? {
            Source::Parsed(p) => p.provider_block(),
            Source::Embedded(l) => or_panic(l, l.provider()),
        }
    }

    /// Whether a provider's schema is registered.
    pub fn knows_provider(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Whether a provider's schema is registered and parsed (an embedded one is parsed
    /// at first use).
    pub fn is_loaded(&self, name: &str) -> bool {
        self.by_name
            .get(name)
            .is_some_and(|i| match &self.providers[*i] {
                Source::Parsed(_) => true,
                Source::Embedded(l) => l.is_loaded(),
            })
    }

    /// Parses every embedded schema now; the first that does not parse is an error.
    pub fn load_all(&self) -> Result<()> {
        for p in &self.providers {
            if let Source::Embedded(l) = p {
                l.get().map_err(|e| Error::Schema {
                    name: l.name().to_string(),
                    message: e.to_string(),
                })?;
            }
        }
        Ok(())
    }

    /// Parses now what the schema check of `stacks` will look up: their provider
    /// configurations' schemas and their block types'. Lookups parse on demand as well;
    /// this only moves the work earlier (synth runs it beside collect for a large target).
    pub(crate) fn load_used_by(&self, stacks: &[Stack]) {
        let mut types = FxHashSet::default();
        for s in stacks {
            for p in &s.providers {
                let _ = self.provider(&p.req.local_name);
            }
            for b in &s.blocks {
                // A stack shares one allocation per type name: its address names the type.
                if types.insert((b.kind, Arc::as_ptr(&b.ty) as *const u8)) {
                    let _ = match b.kind {
                        BlockKind::Resource => self.resource(&b.ty),
                        BlockKind::Data => self.data_source(&b.ty),
                    };
                }
            }
        }
    }

    /// The embedded schema of the provider a type name implies (`aws_vpc` -> `aws`).
    fn embedded_for(&self, ty: &str) -> Option<&'static LazySchema> {
        let (provider, _) = ty.split_once('_')?;
        match self.providers[*self.by_name.get(provider)?] {
            Source::Embedded(l) => Some(l),
            Source::Parsed(_) => None,
        }
    }
}

fn or_panic<'a>(l: &LazySchema, found: Result<Option<&'a Block>, ParseError>) -> Option<&'a Block> {
    match found {
        Ok(b) => b,
        // An embedded schema is a build input, tested where it is embedded;
        // checking against nothing would pass every block silently.
        Err(e) => panic!("embedded schema of `{}` does not parse: {e}", l.name()),
    }
}
