//! The provider served to terraform: every resource and data source of the schema
//! file, planning offline and refusing to apply.

use std::collections::HashMap;

use async_trait::async_trait;
use rmpv::Value;
use tf_provider::schema::Schema as TfSchema;
use tf_provider::{
    AttributePath, DataSource, Diagnostics, DynamicDataSource, DynamicResource, Provider, Resource,
};

use crate::convert;
use crate::schema_file::{Block, ProviderSchemas, Schema};
use crate::values::{self, Fill};

/// The message of every ApplyResourceChange.
pub const NEVER_APPLIES: &str = "terrane schema-provider never applies";

/// A provider serving the schemas of one provider from its schema file.
pub struct SchemaProvider {
    name: String,
    schemas: ProviderSchemas,
}

impl SchemaProvider {
    /// Serves `schemas` as provider `name` (the prefix of its type names).
    pub fn new(name: &str, schemas: ProviderSchemas) -> Self {
        Self {
            name: name.to_string(),
            schemas,
        }
    }

    /// tf-provider names types without the provider prefix and adds it back.
    fn short_name<'a>(&self, type_name: &'a str) -> Option<&'a str> {
        type_name
            .strip_prefix(&self.name)
            .and_then(|rest| rest.strip_prefix('_'))
    }
}

#[async_trait]
impl Provider for SchemaProvider {
    type Config<'a> = Value;
    type MetaState<'a> = Value;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<TfSchema> {
        Some(convert::schema(&self.schemas.provider))
    }

    fn get_resources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        let served = self
            .schemas
            .resource_schemas
            .iter()
            .filter_map(|(name, s)| {
                let resource: Box<dyn DynamicResource> = Box::new(ServedResource(Served::new(s)));
                Some((self.short_name(name)?.to_string(), resource))
            });
        Some(served.collect())
    }

    fn get_data_sources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        let served = self
            .schemas
            .data_source_schemas
            .iter()
            .filter_map(|(name, s)| {
                let data: Box<dyn DynamicDataSource> = Box::new(ServedDataSource(Served::new(s)));
                Some((self.short_name(name)?.to_string(), data))
            });
        Some(served.collect())
    }
}

/// One resource or data source type: its block as read and its schema as sent.
struct Served {
    block: Block,
    wire: TfSchema,
}

impl Served {
    fn new(s: &Schema) -> Self {
        Self {
            block: s.block.clone(),
            wire: convert::schema(s),
        }
    }

    /// `value` with every computed attribute it leaves null filled in.
    fn filled(&self, mut value: Value, fill: Fill) -> Value {
        values::fill_computed(&self.block, &mut value, fill);
        value
    }
}

/// A resource type: plans offline, refuses to apply.
struct ServedResource(Served);

/// A data source type: reads placeholders.
struct ServedDataSource(Served);

fn refuse_apply(diags: &mut Diagnostics) {
    diags.root_error(
        NEVER_APPLIES,
        "it serves a provider schema so that terraform can validate and plan offline; \
         apply with the real provider",
    );
}

#[async_trait]
impl Resource for ServedResource {
    type State<'a> = Value;
    type PrivateState<'a> = Value;
    type ProviderMetaState<'a> = Value;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<TfSchema> {
        Some(self.0.wire.clone())
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        state: Value,
        private_state: Value,
        _provider_meta_state: Value,
    ) -> Option<(Value, Value)> {
        Some((state, private_state))
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed_state: Value,
        _config_state: Value,
        _provider_meta_state: Value,
    ) -> Option<(Value, Value)> {
        Some((self.0.filled(proposed_state, Fill::Unknown), Value::Nil))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Value,
        proposed_state: Value,
        _config_state: Value,
        prior_private_state: Value,
        _provider_meta_state: Value,
    ) -> Option<(Value, Value, Vec<AttributePath>)> {
        let planned = self.0.filled(proposed_state, Fill::Unknown);
        Some((planned, prior_private_state, vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Value,
        prior_private_state: Value,
        _provider_meta_state: Value,
    ) -> Option<Value> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        _planned_state: Value,
        _config_state: Value,
        _planned_private_state: Value,
        _provider_meta_state: Value,
    ) -> Option<(Value, Value)> {
        refuse_apply(diags);
        None
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        _prior_state: Value,
        _planned_state: Value,
        _config_state: Value,
        _planned_private_state: Value,
        _provider_meta_state: Value,
    ) -> Option<(Value, Value)> {
        refuse_apply(diags);
        None
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        _prior_state: Value,
        _planned_private_state: Value,
        _provider_meta_state: Value,
    ) -> Option<()> {
        refuse_apply(diags);
        None
    }

    async fn import<'a>(&self, _diags: &mut Diagnostics, id: String) -> Option<(Value, Value)> {
        Some((values::imported(&self.0.block, &id), Value::Nil))
    }
}

#[async_trait]
impl DataSource for ServedDataSource {
    type State<'a> = Value;
    type ProviderMetaState<'a> = Value;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<TfSchema> {
        Some(self.0.wire.clone())
    }

    async fn read<'a>(
        &self,
        _diags: &mut Diagnostics,
        config: Value,
        _provider_meta_state: Value,
    ) -> Option<Value> {
        Some(self.0.filled(config, Fill::Placeholder))
    }
}
