//! Reading a file whose `addresses` have sources: each source is read (all at once) and replaced
//! by the addresses it gave, before the file is validated as any other.

use super::{
    Desired, DesiredError, Origin,
    validate::{RawAddress, RawEntry},
};
use crate::allowlist::sources::{
    Readers, ShrinkGuard, Source, SourceError, SourceOptions, SourceRef,
};

impl Desired {
    /// Reads a desired-state file as [`from_toml`](Self::from_toml) does, first reading its
    /// sources (`{ dns = … }`, `{ file = … }`, `{ url = … }`) as `options` says. Each source
    /// stands for the addresses it gave, as if written in its place; each address remembers its
    /// source ([`DesiredAddress::source`](super::DesiredAddress::source)), which the plan shows.
    ///
    /// Fail closed: a source that fails or gives no IPv4 address refuses the file, unless its
    /// entry says `optional = true` (then it gives nothing, with a warning). IPv6 values of a
    /// file or feed are skipped with a warning.
    ///
    /// # Errors
    ///
    /// As [`from_toml`](Self::from_toml), and a source that failed, gave nothing or gave a
    /// value that is not a valid IPv4 address or range: the file, line and entry of the source,
    /// and why ([`DesiredError::source_error`]).
    pub async fn from_toml_with_sources(
        text: &str,
        file_name: impl Into<String>,
        options: &SourceOptions,
    ) -> Result<Desired, DesiredError> {
        let file = file_name.into();
        let mut parsed = Desired::parse(text, &file)?;
        if !parsed.errors.is_empty() {
            // A file with problems of shape is refused without reading its sources: nothing
            // leaves the process for a file that cannot be applied anyway.
            parsed.drop_sources();
            return parsed.check(file);
        }
        let found = {
            let sources: Vec<&Source> = (parsed.sets.iter().map(|s| &s.addresses))
                .chain(parsed.lists.iter().map(|l| &l.addresses))
                .flatten()
                .filter_map(|entry| match entry {
                    RawEntry::Source { source, .. } => Some(source),
                    _ => None,
                })
                .collect();
            Readers::new(&sources, options).read_all(&sources).await
        };
        let mut found = found.into_iter();
        let mut warnings = Vec::new();
        let mut guards = Vec::new();
        let mut expand = |entries: Vec<RawEntry>| -> Result<Vec<RawEntry>, (Option<Origin>, _)> {
            let mut out = Vec::with_capacity(entries.len());
            for entry in entries {
                let RawEntry::Source { source, origin } = entry else {
                    out.push(entry);
                    continue;
                };
                // The command line prefixes warnings with the file's name.
                let at = origin
                    .as_ref()
                    .map(|o| format!("line {}: ", o.line))
                    .unwrap_or_default();
                match found.next().expect("one result per source") {
                    Ok(found) => {
                        guards.push(ShrinkGuard {
                            source: source.reference(),
                            name: source.common_name(),
                            max_percent: source.max_shrink_percent,
                        });
                        warnings.extend(found.warnings.into_iter().map(|w| format!("{at}{w}")));
                        out.extend(found.addresses.into_iter().map(|a| {
                            RawEntry::Address(RawAddress {
                                ip: a.cidr(),
                                name: Some(a.name),
                                origin: origin.clone(),
                                source: Some(source.reference()),
                            })
                        }));
                    }
                    // Not allowed to fetch is how the command was run, not a failure of the feed.
                    Err(e)
                        if source.optional && !matches!(e, SourceError::FetchNotAllowed { .. }) =>
                    {
                        warnings.push(format!(
                            "{at}the optional {} gives nothing this time: {e}",
                            source.reference()
                        ))
                    }
                    Err(e) => {
                        // A feed's URL may hold a token: the entry is shown as the plan shows it.
                        let origin = origin.map(|mut o| {
                            if let SourceRef::Url(shown) = source.reference() {
                                o.entry = format!("{{ url = {shown:?} }}");
                            }
                            o
                        });
                        return Err((origin, e));
                    }
                }
            }
            Ok(out)
        };
        let refuse = |origin: Option<Origin>, e: SourceError| {
            let reason = if matches!(e, SourceError::FetchNotAllowed { .. }) {
                format!("{e}; the file is refused and nothing was written")
            } else {
                format!(
                    "{e}; the file is refused and nothing was written (a source that may fail says `optional = true`)"
                )
            };
            (origin, reason, e)
        };
        for set in &mut parsed.sets {
            set.addresses = expand(std::mem::take(&mut set.addresses)).map_err(|(o, e)| {
                let (o, reason, e) = refuse(o, e);
                DesiredError::new(Some(&file), o.as_ref(), None, None, reason)
                    .in_set(&set.name)
                    .caused_by(e)
            })?;
        }
        for list in &mut parsed.lists {
            list.addresses = expand(std::mem::take(&mut list.addresses)).map_err(|(o, e)| {
                let (o, reason, e) = refuse(o, e);
                DesiredError::new(Some(&file), o.as_ref(), Some(&list.name), None, reason)
                    .caused_by(e)
            })?;
        }
        let mut desired = parsed.check(file)?;
        desired.warnings.extend(warnings);
        desired.shrink_guards = guards;
        Ok(desired)
    }
}
