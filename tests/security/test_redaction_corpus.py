"""The redactor on the secret corpus: every secret of every platform gone, lines kept.

The corpus (``secret_corpus.py``) holds the secret-bearing commands of each platform's
documentation; a rule missing for one of them shows here as the token left in clear.
"""

from __future__ import annotations

import pytest
from secret_corpus import TEXTS, all_corpora, corpus

from collectors.redact import REDACTED, redact_config


def test_the_corpus_is_large_and_its_secrets_unique() -> None:
    corpora = all_corpora()
    assert set(corpora) == {"cisco_ios", "cisco_nxos", "arista_eos", "huawei", "hp_comware", "juniper_junos"}
    assert sum(len(c.secret_lines) for c in corpora.values()) >= 150
    secrets = [s for c in corpora.values() for s in c.secrets]
    assert len(secrets) == len(set(secrets))
    assert not [s for s in secrets if any(s != t and s in t for t in secrets)]  # no token inside another


@pytest.mark.parametrize("platform", sorted(TEXTS))
def test_every_secret_line_is_redacted_in_place(platform: str) -> None:
    c = corpus(platform)
    before, after = c.text.splitlines(), redact_config(platform, c.text).splitlines()
    assert len(after) == len(before), "redaction must keep every line"
    leaks = [after[n] for n, tokens in c.secret_lines.items() if any(t in after[n] for t in tokens)]
    assert not leaks, f"{platform}: {len(leaks)} secret lines left in clear:\n" + "\n".join(leaks)
    unmarked = [after[n] for n in c.secret_lines if REDACTED not in after[n]]
    assert not unmarked
    changed = [(b, a) for n, (b, a) in enumerate(zip(before, after, strict=False))
               if n not in c.secret_lines and a != b]
    assert not changed, f"{platform}: lines without a secret changed: {changed}"


@pytest.mark.parametrize("platform", sorted(TEXTS))
def test_unknown_platform_and_second_pass_hold_too(platform: str) -> None:
    c = corpus(platform)
    assert not [s for s in c.secrets if s in redact_config("unknown_os", c.text)]
    once = redact_config(platform, c.text)
    assert redact_config(platform, once) == once
