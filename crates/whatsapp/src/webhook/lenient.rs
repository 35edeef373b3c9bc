//! Deserialisation helpers that never let one odd element sink a whole webhook.
//!
//! Meta's schema grows (usernames, media URLs, new message types); a payload that cannot be parsed
//! is retried for days and then lost. So every field of the models is read by a helper here that
//! takes *any* JSON value: a value of the wrong shape becomes `None` (it is skipped, not buffered),
//! lists drop and count the elements that are not objects, and scalars accept a string or a number.
//!
//! The helpers stream: nothing is parsed twice and no intermediate `serde_json::Value` is built.
//! Since no field can fail on its value, the only data error left inside an object is a repeated key;
//! [`parse_webhook`](super::parse_webhook) then re-reads the body through a `Value` (last key wins).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::value::MapAccessDeserializer;
use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

/// A JSON array whose elements that are not objects of `T`'s shape are dropped and counted instead
/// of failing the parse.
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

impl<'de, T: Deserialize<'de>> Deserialize<'de> for LenientVec<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = LenientVec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value (an array of objects is read)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut list = LenientVec::default();
        list.items.reserve(seq.size_hint().unwrap_or(0).min(64));
        while let Some(element) = seq.next_element_seed(ObjectSeed::<T>(PhantomData))? {
            match element {
                Some(item) => list.items.push(item),
                None => {
                    tracing::debug!("dropping a webhook list element that is not an object");
                    list.invalid += 1;
                }
            }
        }
        Ok(list)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(LenientVec::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map)?;
        Ok(not_a_list())
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(not_a_list())
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(not_a_list())
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(not_a_list())
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(not_a_list())
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(not_a_list())
    }
}

fn not_a_list<T>() -> LenientVec<T> {
    LenientVec {
        items: Vec::new(),
        invalid: 1,
    }
}

/// Reads one value as `Some(T)` when it is an object, else skips it and yields `None`.
struct ObjectSeed<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ObjectSeed<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectSeed<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value (an object is read)")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq)?;
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// `deserialize_with` for an optional object: anything that is not an object becomes `None`.
pub(crate) fn object<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    ObjectSeed(PhantomData).deserialize(deserializer)
}

/// The scalar a field reads, from whatever JSON value it finds.
trait Scalar: Sized {
    fn from_str(s: &str) -> Option<Self>;
    fn from_i64(n: i64) -> Option<Self>;
    fn from_u64(n: u64) -> Option<Self>;
    fn from_f64(n: f64) -> Option<Self>;
    fn from_bool(b: bool) -> Option<Self>;
}

/// Flags: a boolean, or the strings `true` and `false`.
impl Scalar for bool {
    fn from_str(s: &str) -> Option<Self> {
        match s.trim() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
    fn from_bool(b: bool) -> Option<Self> {
        Some(b)
    }
}

/// Codes and quantities: an integral number, or a string holding one.
impl Scalar for i64 {
    fn from_str(s: &str) -> Option<Self> {
        s.trim().parse().ok()
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(n)
    }
    fn from_u64(n: u64) -> Option<Self> {
        i64::try_from(n).ok()
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "only integral values well inside i64's range are converted"
    )]
    fn from_f64(n: f64) -> Option<Self> {
        (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
}

/// Coordinates and prices: a finite number, or a string holding one.
impl Scalar for f64 {
    fn from_str(s: &str) -> Option<Self> {
        s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "coordinates and prices are far below 2^53"
    )]
    fn from_i64(n: i64) -> Option<Self> {
        Some(n as f64)
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "coordinates and prices are far below 2^53"
    )]
    fn from_u64(n: u64) -> Option<Self> {
        Some(n as f64)
    }
    fn from_f64(n: f64) -> Option<Self> {
        n.is_finite().then_some(n)
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
}

struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value (a string or a number is read)")
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(T::from_str(s))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(T::from_i64(n))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(T::from_u64(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(T::from_f64(n))
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(T::from_bool(b))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq)?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map)?;
        Ok(None)
    }
}

fn scalar<'de, D: Deserializer<'de>, T: Scalar>(deserializer: D) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_any(ScalarVisitor(PhantomData))
}

/// `deserialize_with` for text, ids and timestamps (Meta sends a string, sometimes a number);
/// other shapes become `None`. A string without escapes is borrowed from the body, not copied.
pub(crate) fn string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Cow<'de, str>>, D::Error> {
    deserializer.deserialize_any(TextVisitor)
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value (a string or a number is read)")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(s)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(n.to_string())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(n.to_string())))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(n.to_string())))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq)?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map)?;
        Ok(None)
    }
}

/// `deserialize_with` for an integer that may arrive as a number or a numeric string (error codes).
pub(crate) fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    scalar(deserializer)
}

/// `deserialize_with` for a finite number that may arrive as a numeric string (coordinates, prices).
pub(crate) fn float<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    scalar(deserializer)
}

/// `deserialize_with` for a flag: `true`/`false`, or the same as a string.
pub(crate) fn boolean<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    scalar(deserializer)
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq, Default)]
    struct Item {
        #[serde(default, deserialize_with = "integer")]
        n: Option<i64>,
    }

    #[derive(Debug, Deserialize)]
    struct Holder<'a> {
        #[serde(default)]
        list: LenientVec<Item>,
        #[serde(default, deserialize_with = "object")]
        body: Option<Item>,
        #[serde(borrow, default, deserialize_with = "string")]
        stamp: Option<Cow<'a, str>>,
        #[serde(default, deserialize_with = "integer")]
        code: Option<i64>,
        #[serde(default, deserialize_with = "float")]
        at: Option<f64>,
        #[serde(default, deserialize_with = "boolean")]
        flag: Option<bool>,
    }

    fn holder(json: &str) -> Holder<'_> {
        serde_json::from_str(json).unwrap()
    }

    fn from_value(json: &str) -> Holder<'static> {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        Holder::deserialize(value).unwrap()
    }

    fn item(n: i64) -> Item {
        Item { n: Some(n) }
    }

    #[test]
    fn elements_that_are_not_objects_are_dropped_and_counted() {
        for read in [holder, from_value] {
            let h =
                read(r#"{"list":[{"n":1},{"n":"x"},7,[1,[2]],"s",{"n":2,"extra":{"a":[true]}}]}"#);
            assert_eq!(h.list.items(), &[item(1), Item::default(), item(2)]);
            assert_eq!(h.list.invalid(), 3);
            assert_eq!(read(r#"{"list":null}"#).list.len(), 0);
            assert_eq!(read(r#"{"list":{"n":1}}"#).list.invalid(), 1);
            for odd in ["true", "1", "-1", "1.5", "\"x\""] {
                let json = format!(r#"{{"list":{odd}}}"#);
                let h = read(&json);
                assert_eq!((h.list.len(), h.list.invalid()), (0, 1), "{odd}");
            }
            assert_eq!(read("{}").list.invalid(), 0);
        }
    }

    #[test]
    fn odd_scalars_and_bodies_become_none() {
        for read in [holder, from_value] {
            let h = read(
                r#"{"body":"text","stamp":1764064000,"code":"131047","at":"-34.5","flag":"true"}"#,
            );
            assert_eq!(h.body, None);
            assert_eq!(h.stamp.as_deref(), Some("1764064000"));
            assert_eq!(h.code, Some(131_047));
            assert_eq!(h.at, Some(-34.5));
            assert_eq!(h.flag, Some(true));
            let h =
                read(r#"{"body":{"n":3},"stamp":[1,{"a":2}],"code":{"x":[]},"at":"NaN","flag":1}"#);
            assert_eq!(h.body, Some(item(3)));
            assert_eq!((h.stamp, h.code, h.at, h.flag), (None, None, None, None));
            let h = read(r#"{"body":[1,2],"stamp":true,"code":1.0,"at":-58,"flag":false}"#);
            assert_eq!(h.body, None);
            assert_eq!(
                (h.stamp, h.code, h.at, h.flag),
                (None, Some(1), Some(-58.0), Some(false))
            );
            let h = read(
                r#"{"body":null,"stamp":1.5,"code":18446744073709551615,"at":18446744073709551615,"flag":"maybe"}"#,
            );
            assert_eq!(h.body, None);
            assert_eq!(h.stamp.as_deref(), Some("1.5"));
            assert_eq!((h.code, h.flag), (None, None));
            assert!(h.at.is_some());
            let h = read(r#"{"body":7,"stamp":-3,"code":-3,"at":null,"flag":null}"#);
            assert_eq!(
                (h.body, h.stamp.as_deref(), h.code),
                (None, Some("-3"), Some(-3))
            );
            let h = read(r#"{"body":true,"stamp":null,"code":1.5,"at":true,"flag":"false"}"#);
            assert_eq!(
                (h.body, h.stamp, h.code, h.at, h.flag),
                (None, None, None, None, Some(false))
            );
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let h = holder(r#"{"stamp":"1764064000"}"#);
        assert!(matches!(h.stamp, Some(Cow::Borrowed("1764064000"))));
        let h = holder(r#"{"stamp":"a\u00e9"}"#);
        assert!(matches!(h.stamp.as_deref(), Some("aé")));
        assert!(matches!(h.stamp, Some(Cow::Owned(_))));
    }

    #[test]
    fn a_repeated_key_is_a_data_error_on_the_streaming_read() {
        let error = serde_json::from_str::<Holder<'_>>(r#"{"code":1,"code":2}"#).unwrap_err();
        assert!(error.is_data());
        assert_eq!(from_value(r#"{"code":1,"code":2}"#).code, Some(2));
    }
}
