//! Readers of the values messages are made of, on the cursor of [`crate::xml`]: the XML Schema
//! scalars (booleans, numbers, GUIDs, optional text) and the `ArrayOf...` lists, each naming
//! in its error the field it read.
//!
//! **Architecture invariant:** shared by [`crate::protocol`] and [`crate::wusp`], this module
//! imports neither; the readers of their shared message values (cookies...) are in
//! `protocol::envelope`.

use crate::error::WsusError;
use crate::update_xml::is_guid;
use crate::xml::XmlCursor;

/// `xsd:boolean`: `true`, `false`, `1`, `0`.
pub(crate) fn read_bool(cur: &mut XmlCursor, field: &'static str) -> Result<bool, WsusError> {
    let text = cur.read_text()?;
    match text.as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(WsusError::InvalidValue { field, value: text }),
    }
}

/// A number of type `T` (`xsd:int`, `xsd:long`...).
pub(crate) fn read_num<T: std::str::FromStr>(cur: &mut XmlCursor, field: &'static str) -> Result<T, WsusError> {
    let text = cur.read_text()?;
    text.parse().map_err(|_| WsusError::InvalidValue { field, value: text })
}

/// A number whose element may be empty or nil: `None` then.
pub(crate) fn read_opt_num<T: std::str::FromStr>(
    cur: &mut XmlCursor,
    field: &'static str,
) -> Result<Option<T>, WsusError> {
    let text = cur.read_text()?;
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| WsusError::InvalidValue { field, value: text })
}

/// A GUID, returned lower-case.
pub(crate) fn read_guid(cur: &mut XmlCursor, field: &'static str) -> Result<String, WsusError> {
    let text = cur.read_text()?;
    if is_guid(&text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(WsusError::InvalidValue { field, value: text })
    }
}

/// Text whose absence is meaningful: empty (or `xsi:nil`) reads as `None`.
pub(crate) fn read_opt_text(cur: &mut XmlCursor) -> Result<Option<String>, WsusError> {
    let text = cur.read_text()?;
    Ok((!text.is_empty()).then_some(text))
}

/// The error for an array longer than its bound: names the array and the bound.
pub(crate) fn too_many(field: &'static str, limit: usize) -> WsusError {
    WsusError::InvalidValue {
        field,
        value: format!("more than {limit} entries (the limit)"),
    }
}

/// Reads every child named `item` (not nil) of the element last opened with `read`, passing
/// over the rest, and refuses the array once it would exceed `limit` entries: the shape of
/// every `ArrayOf...` in both protocols. A child named `item` is read too, so that a
/// SOAP-encoded array reads like a literal one.
pub(crate) fn read_array<T>(
    cur: &mut XmlCursor,
    item: &str,
    field: &'static str,
    limit: usize,
    mut read: impl FnMut(&mut XmlCursor) -> Result<T, WsusError>,
) -> Result<Vec<T>, WsusError> {
    let mut items = Vec::new();
    while let Some(child) = cur.next_child()? {
        if (child.is(item) || child.is("item")) && !child.is_nil() {
            if items.len() >= limit {
                return Err(too_many(field, limit));
            }
            items.push(read(cur)?);
        } else {
            cur.skip()?;
        }
    }
    Ok(items)
}

/// An `ArrayOfInt`.
pub(crate) fn read_ints(cur: &mut XmlCursor, field: &'static str, limit: usize) -> Result<Vec<i32>, WsusError> {
    read_array(cur, "int", field, limit, |cur| read_num(cur, field))
}

/// An `ArrayOfString` (or of `base64Binary`...: `item` says which), empty entries kept.
pub(crate) fn read_strings(
    cur: &mut XmlCursor,
    item: &str,
    field: &'static str,
    limit: usize,
) -> Result<Vec<String>, WsusError> {
    read_array(cur, item, field, limit, |cur| cur.read_text())
}

/// An `ArrayOfGuid`, each checked and lower-cased.
pub(crate) fn read_guids(cur: &mut XmlCursor, field: &'static str, limit: usize) -> Result<Vec<String>, WsusError> {
    read_array(cur, "guid", field, limit, |cur| read_guid(cur, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_root<T>(xml: &str, read: impl FnOnce(&mut XmlCursor) -> Result<T, WsusError>) -> Result<T, WsusError> {
        let mut cur = XmlCursor::new(xml, "test");
        cur.root()?;
        let value = read(&mut cur)?;
        cur.finish()?;
        Ok(value)
    }

    #[test]
    fn arrays_stop_at_their_bound_and_name_the_field() {
        let ok = in_root("<A><int>1</int><x/><int>2</int></A>", |c| read_ints(c, "A", 2));
        assert_eq!(ok, Ok(vec![1, 2]));
        let over = in_root("<A><int>1</int><int>2</int><int>3</int></A>", |c| read_ints(c, "A", 2));
        assert!(
            matches!(over, Err(WsusError::InvalidValue { field: "A", .. })),
            "{over:?}"
        );
    }

    #[test]
    fn nil_entries_are_left_out_and_encoded_items_are_read() {
        let xml = r#"<A xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><int i:nil="true"/><item>5</item></A>"#;
        assert_eq!(in_root(xml, |c| read_ints(c, "A", 9)), Ok(vec![5]));
    }

    #[test]
    fn bad_scalars_are_errors_naming_the_field() {
        let err = in_root("<A>yes</A>", |c| read_bool(c, "A/B"));
        assert!(matches!(err, Err(WsusError::InvalidValue { field: "A/B", .. })));
        let err = in_root("<A>12x</A>", |c| read_num::<i32>(c, "N"));
        assert!(matches!(err, Err(WsusError::InvalidValue { field: "N", .. })));
        let err = in_root("<A>not-a-guid</A>", |c| read_guid(c, "G"));
        assert!(matches!(err, Err(WsusError::InvalidValue { field: "G", .. })));
        assert_eq!(in_root("<A/>", |c| read_opt_num::<i32>(c, "N")), Ok(None));
    }
}
