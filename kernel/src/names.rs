//! Text names of the board's closed vocabularies (statuses, outcomes, kinds),
//! written once per type with [`named!`]: the name list, `as_str`, `Display`
//! and a `FromStr` whose error lists what is accepted. Serde uses the same
//! names (each type's `rename_all`); a test checks the two agree.

/// `named!(Type, "what it is", { Variant => "name", … })`.
macro_rules! named {
    ($ty:ident, $what:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: [$ty; [$($name),+].len()] = [$($ty::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// For tests and tables written with names.
        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = String;
            /// Case-insensitive, surrounding blanks ignored.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim().to_ascii_lowercase();
                $ty::ALL
                    .into_iter()
                    .find(|v| v.as_str() == wanted)
                    .ok_or_else(|| {
                        format!(
                            "unknown {} '{}' (expected one of: {})",
                            $what,
                            wanted,
                            $ty::ALL.map(|v| v.as_str()).join(", ")
                        )
                    })
            }
        }
    };
}

pub(crate) use named;
