//! Tool arguments: structs whose JSON schemas are derived (what the model is
//! shown), read through [`Checked`] so that a model that gets them wrong is
//! told in plain words what to fix — the argument's name, what it must be,
//! what it sent — as a tool error it can act on, never a protocol failure.

use rmcp::schemars::{self, JsonSchema};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// Arguments of type `T`, or what is wrong with them.
pub struct Checked<T>(Result<T, String>);

impl<T> Checked<T> {
    pub(crate) fn into_result(self) -> Result<T, String> {
        self.0
    }
}

impl<T: JsonSchema> JsonSchema for Checked<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

impl<'de, T: DeserializeOwned + JsonSchema + 'static> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let args = match value {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            other => {
                return Ok(Checked(Err(format!(
                    "the arguments must be an object, got {other}"
                ))))
            }
        };
        Ok(Checked(check::<T>(args)))
    }
}

/// Reads `args` as a `T` after checking them against `T`'s schema.
pub(crate) fn check<T: DeserializeOwned + JsonSchema + 'static>(
    args: Map<String, Value>,
) -> Result<T, String> {
    let schema = rmcp::handler::server::tool::schema_for_type::<T>();
    let props = schema.get("properties").and_then(Value::as_object);
    for key in args.keys() {
        if !props.is_some_and(|p| p.contains_key(key)) {
            return Err(format!("unknown argument '{key}'"));
        }
    }
    let required = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    for key in required {
        if args.get(key).is_none_or(Value::is_null) {
            let hint = props
                .and_then(|p| p.get(key))
                .and_then(|p| p.get("description"))
                .and_then(Value::as_str)
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            return Err(format!("{key} is required{hint}"));
        }
    }
    for (key, value) in &args {
        if value.is_null() {
            continue;
        }
        if let Some(prop) = props.and_then(|p| p.get(key)) {
            if !fits(prop, value) {
                return Err(format!("{key} must be {}, got {value}", expected(prop)));
            }
        }
    }
    // A null is an argument left out.
    let args: Map<String, Value> = args.into_iter().filter(|(_, v)| !v.is_null()).collect();
    serde_json::from_value(Value::Object(args)).map_err(|e| format!("invalid arguments: {e}"))
}

/// The JSON types a property's schema allows (through `anyOf` too).
fn types(prop: &Value) -> Vec<&str> {
    match prop.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => prop
            .get("anyOf")
            .and_then(Value::as_array)
            .map(|alts| alts.iter().flat_map(types).collect())
            .unwrap_or_default(),
    }
}

/// Whether `value` fits the property's schema: one of its `anyOf`
/// alternatives, or its type (and, for a list, every item).
fn fits(prop: &Value, value: &Value) -> bool {
    if let Some(alts) = prop.get("anyOf").and_then(Value::as_array) {
        return alts.iter().any(|alt| fits(alt, value));
    }
    let allowed = types(prop);
    if allowed.is_empty() {
        return true;
    }
    allowed.iter().any(|t| match *t {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.as_array().is_some_and(|items| {
            prop.get("items")
                .is_none_or(|schema| items.iter().all(|i| fits(schema, i)))
        }),
        "null" => value.is_null(),
        _ => true,
    })
}

/// What a property must be, in words.
fn expected(prop: &Value) -> String {
    let words: Vec<&str> = types(prop)
        .into_iter()
        .filter(|t| *t != "null")
        .map(|t| match t {
            "string" => "a string",
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            "object" => "a JSON object",
            "array" => "a list of strings",
            other => other,
        })
        .collect();
    words.join(" or ")
}

/// One string or a list of strings (a single parent or skill may be given
/// bare): always read as a list.
#[derive(Debug, Clone, Default)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            One(String),
            Many(Vec<String>),
        }
        Ok(match Form::deserialize(d)? {
            Form::One(s) => OneOrMany(vec![s]),
            Form::Many(v) => OneOrMany(v),
        })
    }
}

impl JsonSchema for OneOrMany {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OneOrMany".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}}
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Test arguments.
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        /// What you did.
        summary: String,
        /// How many.
        count: Option<i64>,
        /// Facts.
        #[schemars(with = "Option<Map<String, Value>>")]
        facts: Option<Value>,
        /// Some parents.
        #[serde(default)]
        parents: OneOrMany,
    }

    fn run(v: Value) -> Result<Sample, String> {
        check::<Sample>(v.as_object().unwrap().clone())
    }

    #[test]
    fn mistakes_are_named_in_words_a_model_can_act_on() {
        assert_eq!(
            run(json!({"summary": "x", "nonsense": 1})).unwrap_err(),
            "unknown argument 'nonsense'"
        );
        assert_eq!(
            run(json!({})).unwrap_err(),
            "summary is required: What you did."
        );
        assert_eq!(
            run(json!({"summary": "x", "count": "7"})).unwrap_err(),
            "count must be a whole number, got \"7\""
        );
        assert_eq!(
            run(json!({"summary": "x", "facts": [1, 2]})).unwrap_err(),
            "facts must be a JSON object, got [1,2]"
        );
        assert!(run(json!({"summary": "x", "parents": [1]}))
            .unwrap_err()
            .starts_with("parents must be a string or a list of strings"));
    }

    #[test]
    fn good_arguments_read_through_with_one_or_many() {
        let s = run(json!({"summary": "x", "count": null, "parents": "t_1"})).unwrap();
        assert_eq!(s.parents.0, ["t_1"]);
        let s = run(json!({"summary": "x", "parents": ["a", "b"], "facts": {"k": 1}})).unwrap();
        assert_eq!(s.parents.0, ["a", "b"]);
        assert!(run(json!({"summary": "x", "parents": null}))
            .unwrap()
            .parents
            .0
            .is_empty());
        assert!(s.count.is_none() && s.facts.is_some() && s.summary == "x");
    }
}
