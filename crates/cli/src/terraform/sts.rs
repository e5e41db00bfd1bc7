//! A loopback AWS stub for offline plans, answering three kinds of call only, each with
//! a placeholder:
//! - STS `GetCallerIdentity`, so a plan can read `data.aws_caller_identity` and check
//!   `allowed_account_ids` (the account it names is the first segment of the request
//!   path: each stack's override points its `sts` endpoint at
//!   `http://127.0.0.1:PORT/<account>/`);
//! - Secrets Manager `GetRandomPassword`, which terraform calls at plan to open an
//!   ephemeral `aws_secretsmanager_random_password` (a placeholder password, never stored);
//! - as the EC2 endpoint, the two reads of `data.aws_ec2_managed_prefix_list` (an
//!   AWS-managed list such as CloudFront's origin-facing one): a list of that name, id
//!   `pl-00000000000000000`, no entries.
//!
//! Every other call is refused.

use std::sync::OnceLock;

/// The account a stack's STS answers with when its provider allows any account.
const PLACEHOLDER_ACCOUNT: &str = "000000000000";

/// The base URL of the loopback STS, started on first use and serving until the
/// process ends; `None` when no loopback port could be bound.
fn base_url() -> Option<&'static str> {
    static URL: OnceLock<Option<String>> = OnceLock::new();
    URL.get_or_init(|| {
        let server = tiny_http::Server::http("127.0.0.1:0").ok()?;
        let port = server.server_addr().to_ip()?.port();
        std::thread::spawn(move || serve(&server));
        Some(format!("http://127.0.0.1:{port}"))
    })
    .as_deref()
}

/// The `secretsmanager` endpoint: answers `GetRandomPassword` with a placeholder.
pub fn secretsmanager_endpoint() -> Option<String> {
    base_url().map(|base| format!("{base}/secretsmanager/"))
}

/// The `sts` endpoint for a provider allowed `allowed` accounts (empty: any).
pub fn endpoint(allowed: &[String]) -> Option<String> {
    let account = allowed.first().map_or(PLACEHOLDER_ACCOUNT, String::as_str);
    base_url().map(|base| format!("{base}/{account}/"))
}

fn serve(server: &tiny_http::Server) {
    for mut request in server.incoming_requests() {
        let mut body = String::new();
        let _ = request.as_reader().read_to_string(&mut body);
        let account: String = request
            .url()
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let target = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("X-Amz-Target"))
            .map(|h| h.value.as_str().to_string());
        let response = if body.contains("Action=GetCallerIdentity") && account.len() == 12 {
            tiny_http::Response::from_string(identity(&account)).with_status_code(200)
        } else if target.as_deref() == Some("secretsmanager.GetRandomPassword") {
            tiny_http::Response::from_string(RANDOM_PASSWORD).with_status_code(200)
        } else if let Some(answer) = prefix_list(&body) {
            tiny_http::Response::from_string(answer).with_status_code(200)
        } else {
            tiny_http::Response::from_string(
                "<ErrorResponse><Error><Code>NotImplemented</Code></Error></ErrorResponse>",
            )
            .with_status_code(400)
        };
        let _ = request.respond(response);
    }
}

/// What `GetRandomPassword` answers (JSON 1.1 protocol).
const RANDOM_PASSWORD: &str = r#"{"RandomPassword":"terrane-offline-plan-placeholder"}"#;

/// The placeholder answer to the EC2 reads of a managed prefix list, if `body` is one.
fn prefix_list(body: &str) -> Option<String> {
    const EC2: &str = "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";
    const ID: &str = "pl-00000000000000000";
    if body.contains("Action=GetManagedPrefixListEntries") {
        return Some(format!(
            "<GetManagedPrefixListEntriesResponse {EC2}><requestId>0</requestId><entrySet/>\
             </GetManagedPrefixListEntriesResponse>"
        ));
    }
    if !body.contains("Action=DescribeManagedPrefixLists") {
        return None;
    }
    // the name filtered on (`Filter.1.Value.1=com.amazonaws.global.cloudfront.origin-facing`)
    let name: String = body
        .split('&')
        .find_map(|kv| kv.strip_prefix("Filter.1.Value.1="))
        .unwrap_or("placeholder")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-_".contains(*c))
        .collect();
    Some(format!(
        "<DescribeManagedPrefixListsResponse {EC2}><requestId>0</requestId><prefixListSet><item>\
         <prefixListId>{ID}</prefixListId><addressFamily>IPv4</addressFamily>\
         <state>create-complete</state><prefixListArn>arn:aws:ec2:us-east-1:aws:prefix-list/{ID}</prefixListArn>\
         <prefixListName>{name}</prefixListName><maxEntries>55</maxEntries><version>1</version>\
         <ownerId>AWS</ownerId><tagSet/></item></prefixListSet></DescribeManagedPrefixListsResponse>"
    ))
}

fn identity(account: &str) -> String {
    format!(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/terrane-offline-plan</Arn>\
         <UserId>AIDATERRANEOFFLINE0</UserId><Account>{account}</Account></GetCallerIdentityResult>\
         <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId>\
         </ResponseMetadata></GetCallerIdentityResponse>"
    )
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    fn post(url: &str, body: &str) -> String {
        post_with(url, "", body)
    }

    fn post_with(url: &str, headers: &str, body: &str) -> String {
        let rest = url.trim_start_matches("http://");
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let mut s = std::net::TcpStream::connect(host).unwrap_or_else(|e| panic!("{e}"));
        let req = format!(
            "POST /{path} HTTP/1.1\r\nHost: {host}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap_or_else(|e| panic!("{e}"));
        out
    }

    #[test]
    fn answers_caller_identity_with_the_allowed_account_only() {
        let url = super::endpoint(&["123456789012".into()]).unwrap_or_default();
        let ok = post(&url, "Action=GetCallerIdentity&Version=2011-06-15");
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
        assert!(ok.contains("<Account>123456789012</Account>"), "{ok}");
        let other = post(&url, "Action=AssumeRole&Version=2011-06-15");
        assert!(other.starts_with("HTTP/1.1 400"), "{other}");
        let list = post(
            &url,
            "Action=DescribeManagedPrefixLists&Filter.1.Name=prefix-list-name&Filter.1.Value.1=com.amazonaws.global.cloudfront.origin-facing",
        );
        assert!(
            list.contains(
                "<prefixListName>com.amazonaws.global.cloudfront.origin-facing</prefixListName>"
            ),
            "{list}"
        );
        let any = super::endpoint(&[]).unwrap_or_default();
        assert!(post(&any, "Action=GetCallerIdentity").contains("<Account>000000000000</Account>"));
    }

    #[test]
    fn answers_get_random_password_with_a_placeholder_only() {
        let url = super::secretsmanager_endpoint().unwrap_or_default();
        let target = "X-Amz-Target: secretsmanager.GetRandomPassword\r\n";
        let ok = post_with(&url, target, r#"{"PasswordLength":64}"#);
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
        assert!(ok.contains(r#""RandomPassword":"#), "{ok}");
        let other = post_with(
            &url,
            "X-Amz-Target: secretsmanager.GetSecretValue\r\n",
            r#"{"SecretId":"x"}"#,
        );
        assert!(other.starts_with("HTTP/1.1 400"), "{other}");
    }
}
