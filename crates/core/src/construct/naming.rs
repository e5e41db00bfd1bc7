//! The one slug rule (resource names to Terraform block names) and the address
//! helper constructs use to name the block a diagnostic is about.

/// A Terraform block name from a resource name: lower case, every character other
/// than an ASCII letter or digit becomes `_`, and a leading digit (or an empty name)
/// gets a leading `_`, so the result is always a valid identifier.
///
/// ```
/// use terrane_core::construct::block_name;
/// assert_eq!(block_name("prod-api"), "prod_api");
/// assert_eq!(block_name("Prod.DB"), "prod_db");
/// assert_eq!(block_name("1st"), "_1st");
/// assert!(terrane_core::is_valid_identifier(&block_name("")));
/// ```
pub fn block_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// The address of the block a construct declares for `name`: `<type>.<block_name(name)>`,
/// the form diagnostics name (`aws_db_instance.prod_db`).
///
/// ```
/// use terrane_core::construct::address;
/// assert_eq!(address("aws_db_instance", "prod-db"), "aws_db_instance.prod_db");
/// ```
pub fn address(block_type: &str, name: &str) -> String {
    format!("{block_type}.{}", block_name(name))
}
