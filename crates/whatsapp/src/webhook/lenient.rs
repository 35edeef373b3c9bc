//! Deserialisation helpers that never let one odd element sink a whole webhook.
//!
//! Meta's schema grows (usernames, media URLs, new message types); a payload that cannot be parsed
//! is retried for days and then lost. So lists drop (and count) elements they cannot read, optional
//! bodies of the wrong shape become `None`, and timestamps accept a string or a number.

use std::ops::Deref;

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::Value;

/// A JSON array whose unreadable elements are dropped and counted instead of failing the parse.
///
/// `null`, a missing field (with `#[serde(default)]`) and `[]` are all empty; a non-array value counts
/// as one invalid element.
#[derive(Debug, Clone, PartialEq)]
pub struct LenientVec<T> {
    items: Vec<T>,
    invalid: usize,
}

impl<T> LenientVec<T> {
    /// The elements that parsed.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// How many elements could not be read (and were dropped).
    pub fn invalid(&self) -> usize {
        self.invalid
    }
}

impl<T> Default for LenientVec<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            invalid: 0,
        }
    }
}

impl<T> Deref for LenientVec<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> From<Vec<T>> for LenientVec<T> {
    fn from(items: Vec<T>) -> Self {
        Self { items, invalid: 0 }
    }
}

impl<'a, T> IntoIterator for &'a LenientVec<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for LenientVec<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let mut list = Self::default();
        match value {
            Value::Null => {}
            Value::Array(elements) => {
                list.items.reserve(elements.len());
                for element in elements {
                    match T::deserialize(element) {
                        Ok(item) => list.items.push(item),
                        Err(error) => {
                            tracing::debug!(%error, "dropping an unreadable webhook element");
                            list.invalid += 1;
                        }
                    }
                }
            }
            _ => list.invalid = 1,
        }
        Ok(list)
    }
}

/// `deserialize_with` for an optional object: anything that does not fit `T` becomes `None`.
pub(crate) fn option<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    if value.is_null() {
        return Ok(None);
    }
    Ok(T::deserialize(value).ok())
}

/// `deserialize_with` for a scalar that Meta sends as a string but that is sometimes a number
/// (timestamps, ids); other shapes become `None`.
pub(crate) fn string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// `deserialize_with` for an integer that may arrive as a number or a numeric string (error codes).
pub(crate) fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        n: u8,
    }

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(default)]
        list: LenientVec<Item>,
        #[serde(default, deserialize_with = "option")]
        body: Option<Item>,
        #[serde(default, deserialize_with = "string")]
        stamp: Option<String>,
        #[serde(default, deserialize_with = "integer")]
        code: Option<i64>,
    }

    fn holder(json: &str) -> Holder {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn bad_elements_are_dropped_and_counted() {
        let h = holder(r#"{"list":[{"n":1},{"n":"x"},7,{"n":2,"extra":true}]}"#);
        assert_eq!(h.list.items(), &[Item { n: 1 }, Item { n: 2 }]);
        assert_eq!(h.list.invalid(), 2);
        assert_eq!(holder(r#"{"list":null}"#).list.len(), 0);
        assert_eq!(holder(r#"{"list":{"n":1}}"#).list.invalid(), 1);
        assert_eq!(holder("{}").list.invalid(), 0);
    }

    #[test]
    fn odd_scalars_and_bodies_become_none() {
        let h = holder(r#"{"body":"text","stamp":1764064000,"code":"131047"}"#);
        assert_eq!(h.body, None);
        assert_eq!(h.stamp.as_deref(), Some("1764064000"));
        assert_eq!(h.code, Some(131_047));
        let h = holder(r#"{"body":{"n":3},"stamp":[1],"code":{}}"#);
        assert_eq!(h.body, Some(Item { n: 3 }));
        assert_eq!(h.stamp, None);
        assert_eq!(h.code, None);
    }
}
