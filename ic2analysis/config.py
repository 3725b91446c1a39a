"""Every parameter of every notebook, defined once: type, default, range and a one-line help.

``params/*.yaml`` and the notebooks' parameters cells are generated from these models
(``make params``); a test fails when they drift. Unknown keys are errors at every level,
booleans are never numbers and ``k: 3.7`` is never 3 (strict validation), so a run stops
before notebook 01 starts instead of failing, or silently changing, inside scikit-learn.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import paths

DEDUPE_FLOOR = 70
"""Below this title similarity, rapidfuzz's token_sort_ratio calls unrelated titles equal
(e.g. two different national genomics plans score about 60-70)."""


class ParameterError(ValueError):
    """A parameter (or an override of one) that cannot be used; names key, value, expectation."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_default=True, frozen=True)


class Notebook(_Strict):
    """Parameters common to every notebook."""

    notebook: ClassVar[str] = ""
    title: ClassVar[str] = ""
    run: str = Field("", description="Run name ('' = the default, committed run).")

    @field_validator("run")
    @classmethod
    def _run_name(cls, value: str) -> str:
        return paths.check_run_name(value)

    @classmethod
    def from_cell(cls, namespace: dict[str, Any]) -> Notebook:
        """The validated parameters from a notebook's globals (its parameters cell)."""
        return validate(cls, {k: namespace[k] for k in cls.model_fields if k in namespace})

    def values(self) -> dict[str, Any]:
        """Plain Python values (lists, dicts, numbers) for Papermill and YAML."""
        return self.model_dump(mode="json")


class Clean(Notebook):
    """notebooks/01_clean: read the desks' sheets, normalise, merge duplicates, validate."""

    notebook: ClassVar[str] = "01_clean"
    title: ClassVar[str] = "read the desks' sheets, normalise, merge duplicates, validate."
    mapping: list[str] = Field(
        [],
        description="Files to read, relative to the project root; [] reads every .csv/.xlsx "
        "in data/raw.",
    )
    dedupe_threshold: float = Field(
        92,
        ge=DEDUPE_FLOOR,
        le=100,
        description=f"Fuzzy title similarity ({DEDUPE_FLOOR}-100, rapidfuzz token_sort_ratio) "
        "at or above which two rows with compatible years are the same item.",
    )
    date_order: Literal["dmy", "mdy", "reject"] = Field(
        "reject",
        description="How to read an ambiguous slash date such as 11/7/2016: dmy, mdy, or "
        "reject the row.",
    )


DOMAIN_STOP_WORDS = (
    "personalised personalized precision medicine medical health healthcare national european "
    "europe china chinese eu programme program policy initiative project plan strategy also "
    "including aims support supports new based"
).split()


class Topics(Notebook):
    """notebooks/02_topics: TF-IDF + LSA + bagged k-means consensus topics, with the evidence."""

    notebook: ClassVar[str] = "02_topics"
    title: ClassVar[str] = "TF-IDF + LSA + bagged k-means consensus topics, with the evidence."
    seed: int = Field(20240101, ge=0, le=2**32 - 1, description="Seed of every random step.")
    k: int | Literal["auto"] = Field(
        "auto",
        description="Number of subject topics: an integer >= 2, or auto (sweep k_range and "
        "apply the stability rule).",
    )
    k_range: list[int] = Field(
        [6, 12],
        min_length=2,
        max_length=2,
        description="[lowest, highest] k of the sweep; clipped to n // 2 for small mappings "
        "(said in the notebook); below 2 x k_range[0] subject items no topics are made.",
    )
    stability_seeds: int = Field(
        10, ge=2, le=100, description="Seeds of the whole procedure (seed stability)."
    )
    bootstraps: int = Field(
        10, ge=2, le=100, description="Refits on random subsamples (bootstrap stability)."
    )
    bootstrap_share: float = Field(
        0.8, gt=0.1, lt=1, description="Share of the items in each subsample and consensus run."
    )
    null_runs: int = Field(
        5, ge=2, le=100, description="Seeds and subsamples repeated on the permuted-columns null."
    )
    sweep_replicates: int = Field(
        10,
        ge=2,
        le=100,
        description="Seeds and subsamples per k in the sweep (the chosen k gets all); 10 picks "
        "the same k for seeds 20240101, 1 and 2, 5 does not.",
    )
    seed_min: float = Field(0.8, ge=0, le=1, description="k rule: minimum seed stability.")
    null_margin: float = Field(
        0.2, ge=0, le=1, description="k rule: bootstrap stability at least this above the null."
    )
    min_topic_share: float = Field(
        0.03, ge=0, lt=0.5, description="k rule: smallest topic at least this share of items."
    )
    tie: float = Field(
        0.03,
        ge=0,
        le=0.2,
        description="k rule: k within this of the best bootstrap stability count as tied "
        "(the largest is taken).",
    )
    unstable_below: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Per-topic clusterboot Jaccard below which a topic is unstable.",
    )
    consensus_runs: int = Field(
        100, ge=10, le=10000, description="k-means runs pooled into the consensus."
    )
    consensus_sample: int = Field(
        5000, ge=100, description="At most this many items per consensus run (100k stays cheap)."
    )
    consensus_n_init: int = Field(
        10, ge=1, le=100, description="Initialisations when the pooled centres are clustered."
    )
    lsa_dims_min: int = Field(
        5,
        ge=1,
        le=1000,
        description="Each run uses the first d LSA components, d drawn from "
        "lsa_dims_min..lsa_components.",
    )
    lsa_components: int = Field(
        12,
        ge=2,
        le=1000,
        description="Components of the SVD of the TF-IDF (evidence: "
        "benchmarks/results/topic_settings.csv, shown in notebook 02).",
    )
    sample_size: int = Field(
        4000, ge=100, description="Above this many items, the silhouette uses a fixed sample."
    )
    ngram_range: list[int] = Field(
        [1, 2], min_length=2, max_length=2, description="[shortest, longest] word n-grams."
    )
    min_df: int | float = Field(
        5,
        gt=0,
        description="Terms in at least this many items (an integer, capped at 2 % of the items "
        "for small mappings) or this share.",
    )
    max_df: int | float = Field(
        0.4, gt=0, description="Drop terms in more documents (an integer) or a larger share."
    )
    sublinear_tf: bool = Field(True, description="Use 1 + log(tf) instead of raw counts.")
    domain_stop_words: list[str] = Field(
        DOMAIN_STOP_WORDS,
        description="Words found throughout a PM mapping that would dominate every cluster.",
    )
    instrument_share_min: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Instruments rule: share of an item's TF-IDF weight on instrument terms "
        "(params/instruments.yaml).",
    )
    subject_weight_max: float = Field(
        0.25, ge=0, le=1, description="Instruments rule: no subject term heavier than this."
    )
    name_min_jaccard: float = Field(
        0.5,
        ge=0,
        le=1,
        description="A reviewed name (params/topic_names.yaml) applies while its signature "
        "matches the topic's top terms this well.",
    )
    top_terms: int = Field(8, ge=1, le=50, description="Phrases per topic in cluster_terms.csv.")
    style_terms: bool = Field(
        True,
        description="Set aside style terms (analysis/style.py): words one region writes in "
        "most items whatever the subject, so a shared subject is not split by writing style.",
    )
    style_z_min: float = Field(
        2.0,
        ge=0,
        description="Style terms: at least this fightin'-words |z| between regions (about 5 % "
        "two-sided; z grows with the mapping's size, so a small mapping needs a low bar).",
    )
    style_share_min: float = Field(
        0.1, ge=0, le=1, description="Style terms: in at least this share of the region's items."
    )
    style_coherence_max: float = Field(
        1.05,
        gt=0,
        description="Style terms: the items using the term are at most this much more alike "
        "than any two items of the region (mean pairwise cosine ratio; subject words 1.5-3; "
        "at 1.15 the repository's 'patient' and 'partners' would go, and seed 1's partition "
        "moves to ARI 0.86 from the default's).",
    )
    counterpart_pairs: str = Field(
        "params/counterpart_pairs.csv",
        description="Known Europe-China counterpart pairs (id_europe, id_china, why), relative "
        "to the project root.",
    )

    @field_validator("k", mode="before")
    @classmethod
    def _k(cls, value: Any) -> Any:
        if value != "auto" and (type(value) is not int or value < 2):
            raise ValueError(f"k = {value!r}: expected an integer >= 2 or auto")
        return value

    @model_validator(mode="after")
    def _ranges(self) -> Topics:
        lo, hi = self.k_range
        if not 2 <= lo <= hi:
            raise ValueError(f"k_range = {self.k_range}: expected [lo, hi] with 2 <= lo <= hi")
        if self.lsa_dims_min > self.lsa_components:
            raise ValueError(
                f"lsa_dims_min = {self.lsa_dims_min} is above lsa_components = "
                f"{self.lsa_components}"
            )
        lo, hi = self.ngram_range
        if not 1 <= lo <= hi <= 5:
            raise ValueError(
                f"ngram_range = {self.ngram_range}: expected [lo, hi] with 1 <= lo <= hi <= 5"
            )
        for name in ("min_df", "max_df"):
            v = getattr(self, name)
            if isinstance(v, float) and v > 1:
                raise ValueError(f"{name} = {v}: a share must be at most 1.0 (or an integer)")
        if isinstance(self.min_df, float) and isinstance(self.max_df, float):
            if self.min_df > self.max_df:
                raise ValueError(f"min_df = {self.min_df} is above max_df = {self.max_df}")
        return self

    def check_against(self, n_items: int) -> None:
        """Checks that need the data, run at the start of the step."""
        if isinstance(self.k, int) and self.k >= n_items:
            raise ParameterError(
                f"k = {self.k}: expected fewer clusters than the {n_items} items of the mapping"
            )
        # The default is capped at 2 % of the items (vectorise), so it fits any mapping, even
        # the README's 4-item example; a min_df the user chose above the corpus is refused.
        default_min_df = type(self).model_fields["min_df"].default
        if isinstance(self.min_df, int) and default_min_df < self.min_df > n_items:
            raise ParameterError(
                f"min_df = {self.min_df}: expected at most the {n_items} documents of the mapping"
            )


class Weights(_Strict):
    """Weights of the opportunity score's components (normalised to sum to 1).

    A component left out of a given mapping counts as 0, so ``{balance: 0.5, recency: 0.5}``
    means exactly those two; the defaults are ``Bridges.weights``.
    """

    balance: float = Field(0, ge=0, description="Both regions active in proportion.")
    recency: float = Field(0, ge=0, description="Both regions active recently.")
    complementarity: float = Field(
        0, ge=0, description="Different mixes of kinds and perspectives: what each side brings."
    )

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("weights: expected at least one weight above 0 (all are 0)")
        return self


DEFAULT_WEIGHTS = {"balance": 0.45, "recency": 0.3, "complementarity": 0.25}


class BodyWeights(_Strict):
    """Weights of a counterpart pair's score (analysis/bodies.py), normalised to sum to 1.

    ``score = compatibility x (support x (topic x topic overlap + kind x kind overlap)
    + joint x [the two bodies lead an item together])``, so a score stays within [0, 1].
    """

    topic: float = Field(0, ge=0, description="Soft topic overlap of the two bodies' items.")
    kind: float = Field(0, ge=0, description="Cosine of the two bodies' items per kind.")
    joint: float = Field(0, ge=0, description="The two bodies lead at least one item together.")

    @model_validator(mode="after")
    def _not_all_zero(self) -> BodyWeights:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("body_weights: expected at least one weight above 0 (all are 0)")
        return self


DEFAULT_BODY_WEIGHTS = {"topic": 0.6, "kind": 0.2, "joint": 0.2}


class Bridges(Notebook):
    """notebooks/03_bridges: Europe and China side by side, ranked collaboration opportunities."""

    notebook: ClassVar[str] = "03_bridges"
    title: ClassVar[str] = "Europe and China side by side, ranked collaboration opportunities."
    recent_since: int = Field(
        2018, ge=1950, le=2100, description="Items from this year on count as recent activity."
    )
    min_items_per_region: int = Field(
        2, ge=1, description="Items a topic needs in each region to be an opportunity."
    )
    weights: Weights = Field(
        default_factory=lambda: Weights(**DEFAULT_WEIGHTS),
        description="Weights of the score's components {balance, recency, complementarity}; "
        "normalised to sum to 1; a component left out counts as 0.",
    )
    top_opportunities: int = Field(5, ge=1, le=100, description="Opportunities shown in full.")
    pairs_per_topic: int = Field(
        5, ge=1, le=100, description="Europe-China pairs listed per top opportunity."
    )
    min_similarity: float = Field(
        0.05, ge=0, le=1, description="Cosine similarity floor of a listed pair."
    )
    gap_ratio: float = Field(
        3.0,
        gt=1,
        description="A gap candidate: one region holds at least this many times the other's share.",
    )
    gap_similarity: float = Field(
        0.2,
        gt=0,
        le=1,
        description="A gap is claimed only when the other region's nearest item to the topic "
        "profile is below this cosine similarity.",
    )
    dirichlet_concentration: float = Field(
        30.0,
        gt=0,
        le=10000,
        description="Robustness (a): weights drawn from Dirichlet(concentration x defaults); "
        "a weight w varies with sd sqrt(w(1-w)/(concentration+1)).",
    )
    weight_draws: int = Field(
        2000, ge=10, le=100000, description="Robustness (a): number of weight draws."
    )
    fragile_below: float = Field(
        0.5,
        ge=0,
        le=1,
        description="A top topic is fragile when its P(top) is below this under either test.",
    )
    seed: int = Field(20240101, ge=0, le=2**32 - 1, description="Seed of the weight draws.")
    counterparts_per_item: int = Field(
        3, ge=1, le=50, description="Closest other-region items listed for every item."
    )
    counterpart_probes: int = Field(
        8,
        ge=1,
        le=1024,
        description="Beyond 5e7 item pairs: LSA cells of the inverted file searched per item.",
    )
    carriers_per_topic: int = Field(
        3, ge=1, le=50, description="Instruments listed per subject topic as possible carriers."
    )
    counterpart_pairs: str = Field(
        "params/counterpart_pairs.csv",
        description="Known Europe-China counterpart pairs checked against counterparts_by_item "
        "(id_europe, id_china, why), relative to the project root.",
    )
    body_weights: BodyWeights = Field(
        default_factory=lambda: BodyWeights(**DEFAULT_BODY_WEIGHTS),
        description="Counterpart bodies: weights of a pair's score {topic, kind, joint}; "
        "normalised to sum to 1.",
    )
    body_related_function: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Counterpart bodies: score factor of related functions (ministry and "
        "government; research infrastructure and research institute); same type = 1.",
    )
    body_min_topic_overlap: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Counterpart bodies: soft topic overlap a pair needs to be listed.",
    )
    body_counterparts_per_topic: int = Field(
        3, ge=1, le=20, description="Counterpart body pairs listed per top opportunity."
    )
    milestones: list[str] = Field(
        ["EUPM-001", "EUPM-007", "EUPM-003", "CNPM-001", "CNPM-027", "CNPM-042"],
        description="Item ids marked on the timeline (year and title come from the data).",
    )


MODELS: dict[str, type[Notebook]] = {m.notebook: m for m in (Clean, Topics, Bridges)}
NOTEBOOKS = tuple(MODELS)


def _describe(exc: ValidationError, notebook: str) -> str:
    lines = []
    for err in exc.errors():
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "value_error":  # our own message names the parameter and value
            lines.append(f"{notebook}: {msg}")
            continue
        key = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("int", "literal")))
        lines.append(f"{notebook}: parameter {key}: {msg} (got {err['input']!r})")
    return "; ".join(lines)


def validate(model: type[Notebook], values: dict[str, Any]) -> Notebook:
    """Build ``model`` from plain values, or raise ParameterError naming key, value, rule."""
    try:
        return model(**values)
    except ValidationError as exc:
        raise ParameterError(_describe(exc, model.notebook)) from None
