//! What models cost: a shipped table of list prices per million tokens,
//! overridden or extended by `[prices."<model>"]` in config.toml. A run the
//! agent priced itself keeps the agent's figure; otherwise its model's price
//! (the longest table key the model's name starts with) gives the cost.

use kernel::agent::Usage;
use kernel::spend::{CostSource, NewUsage, Tokens, UsageSource};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The day the shipped prices were copied from the vendors' price pages.
pub const PRICES_AS_OF: &str = "2025-11-01";

/// US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub input: f64,
    pub output: f64,
    /// Reading from the prompt cache; defaults to the input price.
    #[serde(default)]
    pub cache_read: Option<f64>,
    /// Writing to the prompt cache; defaults to the input price.
    #[serde(default)]
    pub cache_write: Option<f64>,
}

const fn p(input: f64, output: f64, cache_read: f64, cache_write: f64) -> Price {
    Price {
        input,
        output,
        cache_read: Some(cache_read),
        cache_write: Some(cache_write),
    }
}

/// List prices of the models the supported CLIs use by default.
const SHIPPED: &[(&str, Price)] = &[
    ("claude-opus-4-5", p(5.0, 25.0, 0.50, 6.25)),
    ("claude-opus-4", p(15.0, 75.0, 1.50, 18.75)),
    ("claude-sonnet-4", p(3.0, 15.0, 0.30, 3.75)),
    ("claude-haiku-4-5", p(1.0, 5.0, 0.10, 1.25)),
    ("claude-3-5-haiku", p(0.80, 4.0, 0.08, 1.0)),
    ("gpt-5", p(1.25, 10.0, 0.125, 1.25)),
    ("gpt-5-mini", p(0.25, 2.0, 0.025, 0.25)),
    ("gpt-5-nano", p(0.05, 0.40, 0.005, 0.05)),
    ("gpt-4.1", p(2.0, 8.0, 0.50, 2.0)),
    ("gpt-4.1-mini", p(0.40, 1.60, 0.10, 0.40)),
    ("o3", p(2.0, 8.0, 0.50, 2.0)),
    ("o3-mini", p(1.10, 4.40, 0.55, 1.10)),
    ("o4-mini", p(1.10, 4.40, 0.275, 1.10)),
    ("gemini-2.5-pro", p(1.25, 10.0, 0.31, 1.25)),
    ("gemini-2.5-flash", p(0.30, 2.50, 0.075, 0.30)),
    ("gemini-2.5-flash-lite", p(0.10, 0.40, 0.025, 0.10)),
];

/// The prices in effect: the shipped ones with the config's on top.
#[derive(Debug, Clone, PartialEq)]
pub struct Prices {
    table: BTreeMap<String, (Price, bool)>,
}

impl Prices {
    pub fn new(overrides: &BTreeMap<String, Price>) -> Prices {
        let mut table: BTreeMap<String, (Price, bool)> = SHIPPED
            .iter()
            .map(|(m, p)| (m.to_string(), (*p, false)))
            .collect();
        for (m, p) in overrides {
            table.insert(normalise(m), (*p, true));
        }
        Prices { table }
    }

    /// The price of `model` and the key it matched.
    pub fn price_of(&self, model: &str) -> Option<(&str, Price)> {
        let m = normalise(model);
        self.table
            .iter()
            .filter(|(k, _)| m.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
            .map(|(k, (p, _))| (k.as_str(), *p))
    }

    /// Every entry: model, price, whether config.toml set it.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Price, bool)> {
        self.table.iter().map(|(k, (p, c))| (k.as_str(), *p, *c))
    }

    /// What `tokens` of `model` cost, if the model has a price.
    pub fn cost(&self, model: Option<&str>, tokens: &Tokens) -> Option<f64> {
        let (_, p) = self.price_of(model?)?;
        let per = |n: u64, usd: f64| n as f64 * usd / 1e6;
        Some(
            per(tokens.input_tokens, p.input)
                + per(tokens.output_tokens, p.output)
                + per(tokens.cache_read_tokens, p.cache_read.unwrap_or(p.input))
                + per(tokens.cache_write_tokens, p.cache_write.unwrap_or(p.input)),
        )
    }

    /// A usage record for tokens that come with the reporter's cost or
    /// without one: the reporter's figure wins; else the table's; else none.
    pub fn priced(
        &self,
        model: Option<String>,
        tokens: Tokens,
        reported_usd: Option<f64>,
        source: UsageSource,
    ) -> NewUsage {
        let table = self.cost(model.as_deref(), &tokens);
        // Some CLIs report $0 for a model they have no price for; the
        // table's figure is the better one then.
        let reported = reported_usd.filter(|c| *c > 0.0 || tokens.is_zero() || table.is_none());
        let (cost_usd, cost_source) = match (reported, table) {
            (Some(c), _) => (Some(c), CostSource::Agent),
            (None, Some(c)) => (Some(c), CostSource::Prices),
            (None, None) => (None, CostSource::Unpriced),
        };
        NewUsage {
            model,
            tokens,
            cost_usd,
            cost_source,
            source,
        }
    }

    /// The record of a parsed transcript's usage.
    pub fn of_transcript(&self, u: &Usage) -> NewUsage {
        self.priced(
            u.model.clone(),
            Tokens {
                input_tokens: u.input_tokens,
                output_tokens: u.output_tokens,
                cache_read_tokens: u.cache_read_tokens,
                cache_write_tokens: u.cache_write_tokens,
            },
            u.cost_usd,
            UsageSource::Transcript,
        )
    }
}

/// `anthropic/claude-sonnet-4` and `models/gemini-2.5-pro` are priced as
/// the model after the provider's prefix; case does not matter.
fn normalise(model: &str) -> String {
    let m = model.trim().to_ascii_lowercase();
    match m.rsplit_once('/') {
        Some((_, name)) => name.to_string(),
        None => m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(input: u64, output: u64, cache_read: u64, cache_write: u64) -> Tokens {
        Tokens {
            input_tokens: input,
            output_tokens: output,
            cache_read_tokens: cache_read,
            cache_write_tokens: cache_write,
        }
    }

    #[test]
    fn the_longest_matching_name_prices_a_model() {
        let prices = Prices::new(&BTreeMap::new());
        assert_eq!(
            prices.price_of("claude-sonnet-4-5-20250929").unwrap().0,
            "claude-sonnet-4"
        );
        assert_eq!(
            prices.price_of("gpt-5-mini-2025-08-07").unwrap().0,
            "gpt-5-mini"
        );
        assert_eq!(prices.price_of("GPT-5-Codex").unwrap().0, "gpt-5");
        assert_eq!(prices.price_of("o3-mini").unwrap().0, "o3-mini");
        assert_eq!(
            prices.price_of("models/gemini-2.5-flash-lite").unwrap().0,
            "gemini-2.5-flash-lite"
        );
        assert!(prices.price_of("scripted-model").is_none());
    }

    #[test]
    fn a_cost_is_tokens_times_price_and_config_overrides() {
        let prices = Prices::new(&BTreeMap::new());
        // 1M in, 100k out, 2M cache read, 10k cache write on Sonnet 4:
        // 3.00 + 1.50 + 0.60 + 0.0375.
        let c = prices
            .cost(
                Some("claude-sonnet-4"),
                &tokens(1_000_000, 100_000, 2_000_000, 10_000),
            )
            .unwrap();
        assert!((c - 5.1375).abs() < 1e-9, "{c}");
        let mine = BTreeMap::from([(
            "Scripted".to_string(),
            Price {
                input: 2.0,
                output: 4.0,
                cache_read: None,
                cache_write: None,
            },
        )]);
        let prices = Prices::new(&mine);
        let c = prices
            .cost(Some("scripted-v1"), &tokens(500_000, 250_000, 0, 0))
            .unwrap();
        assert!((c - 2.0).abs() < 1e-9, "{c}");
        assert!(prices
            .entries()
            .any(|(m, _, from_config)| m == "scripted" && from_config));
    }

    #[test]
    fn the_agents_own_figure_wins() {
        let prices = Prices::new(&BTreeMap::new());
        let u = prices.priced(
            Some("gpt-5".into()),
            tokens(1000, 0, 0, 0),
            Some(0.5),
            UsageSource::Reported,
        );
        assert_eq!((u.cost_usd, u.cost_source), (Some(0.5), CostSource::Agent));
        let u = prices.priced(
            Some("nobody-knows".into()),
            tokens(1000, 0, 0, 0),
            None,
            UsageSource::Reported,
        );
        assert_eq!((u.cost_usd, u.cost_source), (None, CostSource::Unpriced));
    }
}
