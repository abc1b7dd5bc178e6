//! Where a design runs: the clouds a design may name in `cloud`, and the region
//! codes `region` is checked against. A price in the catalogue names the region
//! it was read for; a line priced for a node in another region says so.

/// The clouds `cloud` takes. `on_prem`: no cloud bill for data moved between
/// zones or regions.
pub const CLOUDS: &[&str] = &["aws", "gcp", "azure", "on_prem"];

/// Where the region list of a cloud comes from, shown in the help of an
/// unknown region.
pub const AWS_REGIONS_SOURCE: &str = "https://github.com/aws/aws-sdk-go-v2/blob/26bf48f3e2a8463e1c771b2d2fd4c387215424e7/internal/endpoints/awsrulesfn/partitions.json";

/// AWS region codes and names: the commercial, China and GovCloud partitions as
/// the AWS SDK for Go v2 lists them (read 2026-12-02; see `AWS_REGIONS_SOURCE`).
/// A region AWS opened after that list is refused until it is added here.
pub const AWS_REGIONS: &[(&str, &str)] = &[
    ("af-south-1", "Africa (Cape Town)"),
    ("ap-east-1", "Asia Pacific (Hong Kong)"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)"),
    ("ap-northeast-2", "Asia Pacific (Seoul)"),
    ("ap-northeast-3", "Asia Pacific (Osaka)"),
    ("ap-south-1", "Asia Pacific (Mumbai)"),
    ("ap-south-2", "Asia Pacific (Hyderabad)"),
    ("ap-southeast-1", "Asia Pacific (Singapore)"),
    ("ap-southeast-2", "Asia Pacific (Sydney)"),
    ("ap-southeast-3", "Asia Pacific (Jakarta)"),
    ("ap-southeast-4", "Asia Pacific (Melbourne)"),
    ("ca-central-1", "Canada (Central)"),
    ("eu-central-1", "Europe (Frankfurt)"),
    ("eu-central-2", "Europe (Zurich)"),
    ("eu-north-1", "Europe (Stockholm)"),
    ("eu-south-1", "Europe (Milan)"),
    ("eu-south-2", "Europe (Spain)"),
    ("eu-west-1", "Europe (Ireland)"),
    ("eu-west-2", "Europe (London)"),
    ("eu-west-3", "Europe (Paris)"),
    ("me-central-1", "Middle East (UAE)"),
    ("me-south-1", "Middle East (Bahrain)"),
    ("sa-east-1", "South America (Sao Paulo)"),
    ("us-east-1", "US East (N. Virginia)"),
    ("us-east-2", "US East (Ohio)"),
    ("us-west-1", "US West (N. California)"),
    ("us-west-2", "US West (Oregon)"),
    ("cn-north-1", "China (Beijing)"),
    ("cn-northwest-1", "China (Ningxia)"),
    ("us-gov-east-1", "AWS GovCloud (US-East)"),
    ("us-gov-west-1", "AWS GovCloud (US-West)"),
];

/// Why `code` is not a region of `cloud`, with the codes it may have meant; `None`
/// when it is one, or when dsd has no list for that cloud (its regions are
/// taken as written).
pub fn unknown_region(cloud: Option<&str>, code: &str) -> Option<(String, Vec<&'static str>)> {
    let aws = AWS_REGIONS.iter().any(|(c, _)| *c == code);
    match cloud {
        Some("aws") if !aws => Some((
            format!("`{code}` is not an AWS region"),
            AWS_REGIONS.iter().map(|(c, _)| *c).collect(),
        )),
        // No cloud stated: a code shaped like AWS's (`xx-word-N`) is checked as one.
        None if !aws && looks_like_aws(code) => Some((
            format!("`{code}` is not an AWS region"),
            AWS_REGIONS.iter().map(|(c, _)| *c).collect(),
        )),
        _ => None,
    }
}

/// `us-east-1`, `eu-west-9`: two letters, words, a number, joined by hyphens.
fn looks_like_aws(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() >= 3
        && parts.first().is_some_and(|p| p.len() == 2)
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// The name of a known region: `US East (Ohio)` for `us-east-2`.
pub fn region_name(code: &str) -> Option<&'static str> {
    AWS_REGIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_aws_region_is_known_and_a_typo_is_not() {
        assert_eq!(unknown_region(Some("aws"), "eu-west-1"), None);
        assert!(unknown_region(Some("aws"), "eu-west-7").is_some());
        assert!(unknown_region(None, "us-east-9").is_some());
        // Another cloud's regions are taken as written.
        assert_eq!(unknown_region(Some("gcp"), "europe-west4"), None);
        assert_eq!(unknown_region(None, "westeurope"), None);
        assert_eq!(region_name("us-east-2"), Some("US East (Ohio)"));
    }
}
