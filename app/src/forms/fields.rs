//! A form's fields as the browser sends them, and the small values they carry: the codes a
//! choice travels as, and yes/no answers.

/// A form's fields as sent: `(name, value)` in order; a name may repeat (check boxes).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `name` was sent with `value` (a ticked box, a chosen radio button).
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.all(name).any(|v| v == value)
    }

    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }
}

/// The value a ticked box or a "yes" radio button sends.
pub const YES: &str = "yes";
/// The value a "no" radio button sends.
pub const NO: &str = "no";

/// A yes/no answer as a form sends it; "" is not answered.
pub fn yes_no(answer: Option<bool>) -> &'static str {
    match answer {
        Some(true) => YES,
        Some(false) => NO,
        None => "",
    }
}

/// The yes/no answer a form sent, if any.
pub fn answer(text: &str) -> Option<bool> {
    match text {
        YES => Some(true),
        NO => Some(false),
        _ => None,
    }
}

/// The code a choice travels as in a form (`"MessageLeft"`): its serde name.
pub fn code<T: serde::Serialize>(value: T) -> String {
    reengage_core::codes::code(&value)
}

/// The choice a form's code names, if any.
pub fn from_code<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    reengage_core::codes::from_code(text)
}
