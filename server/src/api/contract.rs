//! The OpenAPI document says exactly what the API takes, so a client (or schemathesis) built
//! from it sends nothing the server refuses as malformed, and the server refuses everything
//! the document rules out:
//!
//! * each change of an episode is its own operation (`POST /episodes/{id}/attempts`, …) with
//!   its own body — `version` beside the change's fields, as the server reads it;
//! * every object a request sends is closed (`additionalProperties: false`): the server
//!   refuses a field it does not know ([`super::known_fields`]);
//! * every text has no control character but tab and line breaks, and at most
//!   [`MAX_TEXT_CHARS`] characters; every list at most [`MAX_LIST_ITEMS`] items; every date is
//!   a real day of the years the calendar plans for ([`super::within_limits`]);
//! * the fields a person must fill in cannot be blank, and have their own bounds
//!   ([`FIELDS`], each beside the constant the server checks).
//!
//! The document is what utoipa derives from the handlers and types, closed here in one pass.

use serde_json::{Map, Value, json};

use super::episodes::ChangeKind;
use super::{MAX_LIST_ITEMS, MAX_TEXT_CHARS};
use reengage_core::deadlines::ResponseWindow;

/// Text with no control character but tab, line feed and carriage return
/// ([`super::forbidden_control`]).
pub const TEXT: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// [`TEXT`] with at least one character that is neither a space nor a control character:
/// what is left after the server trims it is not empty.
pub const NOT_BLANK: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// A real calendar day from 1990-01-01 to 2100-12-31 (`core::calendar::SUPPORTED_YEARS`),
/// leap days included (2100 has none).
pub const DAY: &str = r"^(?:(?:199[0-9]|20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:199[26]|20(?:[02468][048]|[13579][26]))-02-29)$";

/// A time of day, `HH:MM` or `HH:MM:SS` (with a fraction of a second if wanted).
pub const TIME: &str = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:\.[0-9]{1,9})?)?$";

/// [`TEXT`] with an `@` in it: all the server asks of an e-mail address.
pub const EMAIL: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*@[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// What a field of a request object must hold beyond its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Not blank, at most this many characters.
    NotBlank(usize),
    /// From `min` to `max` characters (a password: the server checks the rest).
    Chars(usize, usize),
    /// A time of day ([`TIME`]).
    Time,
    /// An e-mail address: something, `@`, something.
    Email,
    /// A whole number from `min` to `max`.
    Range(i64, i64),
}

/// The fields a person must fill in, or that have a bound of their own: `(schema, field,
/// bound)` (an empty field: the schema itself), each bound the constant the server checks.
pub const FIELDS: &[(&str, &str, Bound)] = &[
    (
        "ResponseWindow",
        "",
        Bound::Range(ResponseWindow::MIN as i64, ResponseWindow::MAX as i64),
    ),
    ("Resolution", "index", Bound::Range(0, u32::MAX as i64)),
    (
        "ClosureDay",
        "name",
        Bound::NotBlank(crate::services::branches::MAX_NAME_CHARS),
    ),
    (
        "NewNarrative",
        "body",
        Bound::NotBlank(crate::services::narratives::MAX_CHARS),
    ),
    (
        "EditNarrative",
        "body",
        Bound::NotBlank(crate::services::narratives::MAX_CHARS),
    ),
    ("NewTask", "description", Bound::NotBlank(MAX_TEXT_CHARS)),
    ("PdpStep", "code", Bound::NotBlank(MAX_TEXT_CHARS)),
    ("PdpStep", "scheduled_time", Bound::Time),
    ("ReleaseOnFile", "partner", Bound::NotBlank(MAX_TEXT_CHARS)),
    (
        "NewParticipant",
        "case_number",
        Bound::NotBlank(MAX_TEXT_CHARS),
    ),
    (
        "NewParticipant",
        "first_name",
        Bound::NotBlank(MAX_TEXT_CHARS),
    ),
    (
        "NewParticipant",
        "last_name",
        Bound::NotBlank(MAX_TEXT_CHARS),
    ),
    ("NewStaff", "email", Bound::Email),
    ("NewStaff", "name", Bound::NotBlank(MAX_TEXT_CHARS)),
    ("NewStaff", "initials", Bound::NotBlank(MAX_TEXT_CHARS)),
    (
        "NewStaff",
        "password",
        Bound::Chars(
            crate::services::passwords::MIN_CHARS,
            crate::services::passwords::MAX_CHARS,
        ),
    ),
    (
        "NewPassword",
        "password",
        Bound::Chars(
            crate::services::passwords::MIN_CHARS,
            crate::services::passwords::MAX_CHARS,
        ),
    ),
    (
        "Trigger",
        "what",
        Bound::NotBlank(reengage_core::episode::quick_forms::MAX_WHAT_CHARS),
    ),
    ("Trigger", "at", Bound::Time),
    ("AppointmentDay", "at", Bound::Time),
    ("MailPickupTime", "at", Bound::Time),
    ("OfficeChange", "mail_pickup", Bound::Time),
    (
        "MissingInfo",
        "description",
        Bound::NotBlank(MAX_TEXT_CHARS),
    ),
    (
        "GoodCauseGiven",
        "reason",
        Bound::NotBlank(reengage_core::episode::MAX_REASON_CHARS),
    ),
    (
        "Reason",
        "reason",
        Bound::NotBlank(reengage_core::episode::MAX_REASON_CHARS),
    ),
    (
        "NewNarrative",
        "draft_of",
        Bound::Chars(0, crate::services::narratives::MAX_DRAFT_KEY_CHARS),
    ),
];

/// The path utoipa documents for every change of an episode; [`close`] replaces it by one
/// operation per change.
const CHANGE_PATH: &str = "/episodes/{id}/{change}";

/// The utoipa modifier that closes the document ([`close`]).
pub struct Contract;

impl utoipa::Modify for Contract {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        // The document is built from the code alone, once: a failure here is a programming
        // error caught by the tests, never something a request can cause.
        let mut document = serde_json::to_value(&*openapi).expect("the OpenAPI document is JSON");
        close(&mut document);
        *openapi = serde_json::from_value(document).expect("the closed document is OpenAPI");
    }
}

/// Closes the OpenAPI `document` as the module says.
pub fn close(document: &mut Value) {
    let schemas = &mut document["components"]["schemas"];
    for (schema, field, bound) in FIELDS {
        let property = if field.is_empty() {
            &mut schemas[*schema]
        } else {
            &mut schemas[*schema]["properties"][*field]
        };
        assert!(
            property.is_object(),
            "{schema}.{field} is not in the document"
        );
        bound_field(property, *bound);
    }
    // After the fields' own bounds: each change's body is a copy of its schema.
    split_changes(document);
    let requested = requested_schemas(document);
    let schemas = document["components"]["schemas"]
        .as_object_mut()
        .expect("components.schemas");
    for name in requested {
        if let Some(schema) = schemas.get_mut(&name) {
            close_schema(schema);
        }
    }
    let paths = document["paths"].as_object_mut().expect("paths");
    for parameter in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|operation| operation["parameters"].as_array_mut())
        .flatten()
    {
        if parameter["schema"]["format"] == "date" {
            parameter["schema"]["pattern"] = json!(DAY);
        }
    }
    for operation in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
    {
        if let Some(body) = operation.pointer_mut("/requestBody/content/application~1json/schema") {
            close_schema(body);
        }
    }
}

/// One operation per change of an episode, each with its own body: the change's fields and
/// `version`.
fn split_changes(document: &mut Value) {
    let Some(shared) = document["paths"]
        .as_object_mut()
        .and_then(|paths| paths.remove(CHANGE_PATH))
    else {
        return;
    };
    let schemas = document["components"]["schemas"]
        .as_object_mut()
        .expect("components.schemas");
    schemas.remove("ChangeRequest");
    schemas.remove("ChangeBody");
    let mut items = Vec::new();
    for (name, _, body) in ChangeKind::ALL {
        let versioned = format!("{body}Change");
        if !schemas.contains_key(&versioned) {
            let mut schema = schemas[body].clone();
            schema["properties"]["version"] = json!({
                "type": "integer",
                "format": "int64",
                "description": "The version of the episode the change is based on (409 when another change came first)."
            });
            match schema["required"].as_array_mut() {
                Some(required) => required.push(json!("version")),
                None => schema["required"] = json!(["version"]),
            }
            schemas.insert(versioned.clone(), schema);
        }
        let mut item = shared.clone();
        let operation = &mut item["post"];
        if let Some(parameters) = operation["parameters"].as_array_mut() {
            parameters.retain(|p| p["name"] != "change");
        }
        operation["operationId"] = json!(format!("change_{}", name.replace('-', "_")));
        operation["summary"] = json!(format!("`{name}`: one change of the episode"));
        operation["requestBody"] = json!({
            "required": true,
            "content": { "application/json": {
                "schema": { "$ref": format!("#/components/schemas/{versioned}") }
            }}
        });
        items.push((format!("/episodes/{{id}}/{name}"), item));
    }
    for (path, item) in items {
        document["paths"][path] = item;
    }
}

fn bound_field(property: &mut Value, bound: Bound) {
    match bound {
        Bound::NotBlank(max) => {
            property["pattern"] = json!(NOT_BLANK);
            property["minLength"] = json!(1);
            property["maxLength"] = json!(max);
        }
        Bound::Chars(min, max) => {
            if min > 0 {
                property["minLength"] = json!(min);
            }
            property["maxLength"] = json!(max);
        }
        Bound::Time => {
            property["pattern"] = json!(TIME);
            if let Some(object) = property.as_object_mut() {
                object.remove("example");
            }
            property["examples"] = json!(["10:00"]);
        }
        Bound::Range(min, max) => {
            property["minimum"] = json!(min);
            property["maximum"] = json!(max);
        }
        Bound::Email => {
            property["pattern"] = json!(EMAIL);
            property["maxLength"] = json!(254);
        }
    }
}

/// Every component schema a request body names, directly or through another.
fn requested_schemas(document: &Value) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut todo: Vec<String> = Vec::new();
    if let Some(paths) = document["paths"].as_object() {
        for item in paths.values().filter_map(Value::as_object) {
            for operation in item.values() {
                references(&operation["requestBody"], &mut todo);
            }
        }
    }
    while let Some(name) = todo.pop() {
        if found.contains(&name) {
            continue;
        }
        references(&document["components"]["schemas"][&name], &mut todo);
        found.push(name);
    }
    found
}

fn references(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::String(target)) = fields.get("$ref")
                && let Some(name) = target.strip_prefix("#/components/schemas/")
            {
                into.push(name.to_owned());
            }
            fields.values().for_each(|v| references(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, into)),
        _ => {}
    }
}

/// Closes one schema a request sends, and the schemas inside it.
fn close_schema(schema: &mut Value) {
    let Some(fields) = schema.as_object_mut() else {
        return;
    };
    if fields.contains_key("$ref") {
        return;
    }
    let types = kinds(fields);
    if types.iter().any(|t| t == "object") && !fields.contains_key("additionalProperties") {
        fields.insert("additionalProperties".into(), json!(false));
    }
    if types.iter().any(|t| t == "array") && !fields.contains_key("maxItems") {
        fields.insert("maxItems".into(), json!(MAX_LIST_ITEMS));
    }
    if types.iter().any(|t| t == "string") && !fields.contains_key("enum") {
        if fields.get("format").and_then(Value::as_str) == Some("date") {
            fields.insert("pattern".into(), json!(DAY));
        } else {
            if !fields.contains_key("pattern") {
                fields.insert("pattern".into(), json!(TEXT));
            }
            if !fields.contains_key("maxLength") {
                fields.insert("maxLength".into(), json!(MAX_TEXT_CHARS));
            }
        }
    }
    if let Some(Value::Object(properties)) = fields.get_mut("properties") {
        properties.values_mut().for_each(close_schema);
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = fields.get_mut(key) {
            close_schema(inner);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(options)) = fields.get_mut(key) {
            options.iter_mut().for_each(close_schema);
        }
    }
}

/// The JSON types a schema allows (`type` is a name or a list of names).
fn kinds(fields: &Map<String, Value>) -> Vec<String> {
    match fields.get("type") {
        Some(Value::String(kind)) => vec![kind.clone()],
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}
