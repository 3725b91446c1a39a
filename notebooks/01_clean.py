# %% [markdown]
# # 1. Cleaning the mapping
#
# The two desks collected the mapping in different shapes: the Europe desk as an English CSV with ISO dates, the China desk as a bilingual workbook whose cells follow the conventions of Chinese sources (`2016年6月21日`, `国办发〔2016〕47号`, `6.4亿元`, `试行`). This notebook reads every raw file through one template, normalises it, merges items reported twice, rejects what cannot be used with a reason, and validates the result against a schema. The parameters cell below is the only place to change; `make reports MAPPING=file.csv` runs the same steps on another mapping.

# %% tags=["parameters"]
# Generated from ic2analysis/config.py (`make params`); edit the model there.
# Run name ('' = the default, committed run).
run = ""
# Files to read, relative to the project root; [] reads every .csv/.xlsx in data/raw.
mapping = []
# Fuzzy title similarity (70-100, rapidfuzz token_sort_ratio) at or above which two rows with
# compatible years are the same item.
dedupe_threshold = 92.0
# How to read an ambiguous slash date such as 11/7/2016: dmy, mdy, or reject the row.
date_order = "reject"

# %%
from IPython.display import Markdown

from ic2analysis import config, paths
from ic2analysis.cleaning import clean, summary
from ic2analysis.reporting import figures

p = config.Clean.from_cell(globals())
out = paths.run_paths(p.run)
figures.set_theme()
result = clean.run(p.mapping, p.dedupe_threshold, out, p.date_order)
print("Files read:", ", ".join(result.files))
result.counts

# %% [markdown]
# Every raw row is accounted for: **raw = kept + merged + rejected**, checked by the run itself. The full per-row log is `tables/cleaning_log.csv`.

# %% [markdown]
# ## What was rejected, and why
#
# A row is rejected alone when one of its cells cannot be read (an unknown kind or region, an unparseable date, a duplicate id, a missing required value). An empty table means nothing was rejected.

# %%
result.rejections()

# %% [markdown]
# ## How the files were read
#
# Which worksheet was read, and anything the reader skipped or filled in (hidden sheets and rows, merged cells, a two-level header, the encoding and delimiter of a CSV that is not UTF-8 and comma-separated).

# %%
result.reading_notes()

# %% [markdown]
# ## Warnings
#
# A warning marks a cell that was read with a doubt or left empty rather than guessed (an amount given as a range, an ambiguous figure, a date read by `date_order`, a place outside the item's region). The row itself is kept. An empty table means there was nothing to warn about.

# %%
result.warnings()

# %% [markdown]
# ## What was merged
#
# The same item reported twice, within a desk or across the two desks, is kept once, with both sources recorded in `sources` and both regions in `regions_reported`. Matches come from identical normalised titles, shared acronyms, or a fuzzy title similarity of at least `dedupe_threshold`; titles with different numbers (standard codes, grant ids) never match.

# %%
summary.merges(result)

# %% [markdown]
# ## The landscape at a glance
#
# Items by region and kind, after cleaning:

# %%
summary.region_kind(result.table)

# %%
figures.save(figures.region_kind(result.table), "01_region_kind", out.figures)

# %% [markdown]
# When each side moved: items per year in which they were adopted or started. Items whose year could not be confirmed are left out of the timeline, not guessed.

# %%
figures.save(figures.timeline(result.table), "01_timeline", out.figures)

# %% [markdown]
# Which optional fields are filled, per region. Local titles and document numbers are mostly a China-desk feature; budgets are stated for about a third of European items.

# %%
figures.save(
    figures.completeness(summary.completeness(result.table)), "01_completeness", out.figures
)

# %% [markdown]
# ## What this notebook found

# %%
Markdown("\n".join(f"- {line}" for line in summary.findings(result)))
