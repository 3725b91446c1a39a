"""A planted mapping whose regions are written in different styles: Europe's items read like
project abstracts, China's like policy summaries, on shared subjects (and, optionally, a
subject only China has). Used by the topic and counterpart tests of mixed writing styles."""

import numpy as np
import pandas as pd

SUBJECTS = {
    "genome": "genome sequencing variants reference population genomes assembly germline",
    "data": "records interoperability federated access sharing warehouse exchange formats",
    "cancer": "cancer screening tumour oncology prevention chemotherapy biomarkers",
    "biobank": "biobank samples storage biospecimens freezer consent specimens",
    "rare": "rare diseases diagnosis orphan registry undiagnosed exome",
    "pharma": "pharmacogenomics drug response dosing metabolism adverse reactions",
}
CHINA_ONLY = {"tcm": "traditional chinese herbal acupuncture syndrome decoction formula"}
STYLES = {
    "Europe": "this project aims develop novel approaches we will build consortium partners "
    "work packages deliverables dissemination objectives innovative researchers",
    "China": "the notice requires provincial health commissions strengthen promote implement "
    "standardise supervise management regulations departments opinions units",
}


def styled_mapping(
    n_per: int = 6,
    subject_words: int = 4,
    style_words: int = 6,
    china_only: bool = False,
    seed: int = 0,
) -> pd.DataFrame:
    """``n_per`` items per subject and region, each ``subject_words`` words of its subject
    among ``style_words`` words of its region's style, shuffled. ``label`` is the subject."""
    rng = np.random.default_rng(seed)
    subjects = {**SUBJECTS, **(CHINA_ONLY if china_only else {})}
    rows = []
    for subject, words in subjects.items():
        for region, style in STYLES.items():
            if subject in CHINA_ONLY and region != "China":
                continue
            for i in range(n_per):
                picks = list(rng.permutation(words.split())[:subject_words])
                picks += list(rng.permutation(style.split())[:style_words])
                rows.append({"id": f"{region[:2]}-{subject}-{i}", "region": region,
                             "label": subject, "title": f"item {i}",
                             "description": " ".join(rng.permutation(picks)),
                             "keywords": ""})  # fmt: skip
    return pd.DataFrame(rows)


def style_vocabulary() -> set[str]:
    """Every style word of either region."""
    return {w for s in STYLES.values() for w in s.split()}


def subject_vocabulary() -> set[str]:
    """Every subject word, China's own subject included."""
    return {w for s in {**SUBJECTS, **CHINA_ONLY}.values() for w in s.split()}
