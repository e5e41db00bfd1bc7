"""Prints a terraform override file that points a stack's aws provider at moto.

Usage: moto_override.py MAIN_TF_JSON ENDPOINT
Every aws provider configuration (with its alias) gets moto endpoints and fake
credentials; every resource with prevent_destroy gets it turned off, so a test can
destroy what it applied. Terraform merges override files into the configuration.
"""
import json
import sys

SERVICES = [
    "acm", "apigateway", "autoscaling", "backup", "budgets", "cloudwatch", "cloudwatchlogs", "ec2", "ecr", "ecs",
    "efs", "eks", "elasticache", "elb", "elbv2", "events", "iam", "kms", "lambda", "rds", "route53", "s3",
    "secretsmanager", "sns", "sqs", "ssm", "sts",
]


def main() -> None:
    path, endpoint = sys.argv[1], sys.argv[2]
    with open(path) as f:
        doc = json.load(f)
    providers = doc.get("provider", {}).get("aws", [{}])
    if isinstance(providers, dict):
        providers = [providers]
    override_providers = []
    for p in providers:
        o = {
            "access_key": "test",
            "secret_key": "test",
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": True,
            "s3_use_path_style": True,
            "endpoints": [{s: endpoint for s in SERVICES}],
        }
        if "alias" in p:
            o["alias"] = p["alias"]
        override_providers.append(o)
    out = {"provider": {"aws": override_providers}}
    resources = {}
    for rtype, blocks in doc.get("resource", {}).items():
        for name, body in blocks.items():
            if body.get("lifecycle", {}).get("prevent_destroy"):
                resources.setdefault(rtype, {})[name] = {"lifecycle": {"prevent_destroy": False}}
    if resources:
        out["resource"] = resources
    json.dump(out, sys.stdout, indent=2, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
