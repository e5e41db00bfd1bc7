//! Synth benchmark: a generated stack of N resources linked by references, with
//! realistic argument counts, synthesized and written to disk. Each size runs in
//! its own process so that its peak RSS is its own.
//!
//! `cargo bench -p terrane-core --bench synth` prints a markdown table;
//! `cargo bench -p terrane-core --bench synth -- --size 53000` runs one size.

use std::process::Command;
use std::time::Instant;

use terrane_core::{func, tmpl, App, GenericResource, RequiredProvider, Stack, Tree};

fn build(n: usize) -> App {
    let mut app = App::new();
    app.target("bench", "benchmark", move |t| {
        let aws = RequiredProvider::new("aws", "hashicorp/aws", "5.100.0");
        // a few stacks, each with a share of the resources, referencing the first
        let stacks = (n / 5000).clamp(1, 10);
        let per = n / stacks;
        let mut first_vpc = None;
        for si in 0..stacks {
            let mut s = Stack::new(&format!("s{si}"));
            let vpc = s.add(
                "main",
                GenericResource::new("aws_vpc")
                    .provider(aws.clone())
                    .arg("cidr_block", "10.0.0.0/16")
                    .arg("enable_dns_support", true),
            );
            let vpc_id = match &first_vpc {
                None => {
                    first_vpc = Some(vpc.id());
                    vpc.id()
                }
                Some(v) => v.clone(), // cross-stack reference
            };
            let mut prev = vpc.id();
            for i in 1..per {
                let r = s.add(
                    &format!("subnet_{i}"),
                    GenericResource::new("aws_subnet")
                        .provider(aws.clone())
                        .arg("vpc_id", vpc_id.clone())
                        .arg("cidr_block", func::cidrsubnet("10.0.0.0/8", 16, i))
                        .arg(
                            "availability_zone",
                            format!("us-east-1{}", ["a", "b", "c"][i % 3]),
                        )
                        .arg("map_public_ip_on_launch", false)
                        .arg("assign_ipv6_address_on_creation", false)
                        .arg("description", tmpl!("after {}", prev))
                        .arg(
                            "tags",
                            Tree::object([
                                ("Name", Tree::from(format!("subnet-{i}"))),
                                ("team", Tree::from("platform")),
                                ("cost-center", Tree::from("1234")),
                            ]),
                        ),
                );
                prev = r.id();
            }
            t.add_stack(s);
        }
    });
    app
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn one(n: usize) {
    let dir = std::env::temp_dir().join(format!("terrane-bench-{}", std::process::id()));
    let start = Instant::now();
    let app = build(n);
    let out = app.synth("bench").unwrap_or_else(|e| panic!("{e}"));
    terrane_core::write_targets(&dir, &[out]).unwrap_or_else(|e| panic!("{e}"));
    let elapsed = start.elapsed();
    let bytes: u64 = walk(&dir.join("bench"));
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "| {n} | {:.3} | {:.1} | {:.1} |",
        elapsed.as_secs_f64(),
        peak_rss_kib() as f64 / 1024.0,
        bytes as f64 / 1_048_576.0
    );
}

fn walk(p: &std::path::Path) -> u64 {
    let mut total = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let path = e.path();
            total += if path.is_dir() {
                walk(&path)
            } else {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            };
        }
    }
    total
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--size") {
        let n = args.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(53);
        one(n);
        return;
    }
    println!("| resources | wall time (s) | peak RSS (MiB) | output (MiB) |");
    println!("|---:|---:|---:|---:|");
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    for n in [53, 5_300, 53_000] {
        let status = Command::new(&exe).arg("--size").arg(n.to_string()).status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("size {n} failed");
            std::process::exit(1);
        }
    }
}
