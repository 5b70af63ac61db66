"""Regenerate the curated seed CSVs in ``data/seeds/`` from the shared raw data.

Run from the project root: ``python -m data.curate --shared ../shared`` (the default shared path is
``../shared`` next to the project). The project itself never needs ``../shared``: the seeds are
committed and this script only regenerates them, deterministically (rows sorted by primary key,
floats rounded to 4 decimals, booleans as ``true``/``false``, UTF-8, ``\n`` line ends).

Provenance
----------
Raw, read-only inputs (``<shared>/data`` and ``<shared>/facts``; their origins are documented in
``<shared>/data/SOURCES.md`` and ``<shared>/facts/SOURCES.md``):

* SIPRI Military Expenditure Database, April 2025 release -> ``spending`` (series ``sipri``),
  Taiwan's derived GDP/population in ``economy``, the partner universe.
* SIPRI Arms Transfers Database, Feb 2026 export (US deliveries by recipient-year)
  -> ``us_arms_delivery`` and the partner universe.
* NATO *Defence Expenditure of NATO Countries (2014-2024)*, June 2024 -> ``spending`` (``nato``).
* World Bank WDI (GDP current US$, population) -> ``economy``.
* Freedom House *Freedom in the World* 2021-2025 editions -> ``governance``.
* DMDC personnel (troopdata, December 2025 report) and Vine/troopdata bases (~2018)
  -> ``us_presence``.
* ISO 3166 / UN M49 regions (lukes) and 360info centroids -> ``partner``.
* ``facts/platforms.csv`` and ``facts/line_facts.csv`` (through ``line_load.csv``) -> ``production_line``
  and ``line_fact``; ``facts/orders_public_record.csv`` and ``facts/notable_orders.csv`` (through the
  reviews in ``order_review/``, see ``data/orderbook.py``) -> ``arms_order``, ``order_source``,
  ``order_review``; ``facts/eligibility.md`` (through ``eligibility.csv``) -> ``eligibility``;
  ``facts/partner_attributes_notes.md`` (keyed press facts) -> the partner list and, through the
  hand-written files below, presence, pledges, 2025 estimates and assessments.
* Country outlines of the ``countryinfo`` package -> ``geography`` (``scoring/geography.py``).

Hand-written analyst inputs (``data/curation/``, every row carries its source key):
``sources.csv`` (the source table), ``region_overrides.csv``, ``nato_members.csv`` (accession
years), ``mnna.csv``, ``pledges.csv``, ``nato_2025e.csv``, ``us_presence_notes.csv``,
``dmdc_overrides.csv``, ``iso3_fixes.csv``, ``platform_lines.csv``, ``strategic_assessment.csv`` and
``judgements/``, ``order_review/``, ``order_corrections.csv``, ``source_domains*.csv``, ``line_load.csv``,
``eligibility.csv``. See ``data/curation/README.md``.

Partner universe
----------------
Every country in the SIPRI milex file (167) plus every SIPRI-TIV recipient with an ISO3 code, the
40 partners of ``partner_attributes_notes.md``, Kosovo (XKX) and Taiwan (TWN), minus the United
States (the seller).

Analyst regions (``partner.analyst_region``, source ``analyst_2026``)
---------------------------------------------------------------------
Explicit assignments in ``region_overrides.csv`` win; otherwise the rule below applies, in order:

* NATO Eastern Flank: the Bucharest Nine (POL, LTU, LVA, EST, ROU, BGR, SVK, HUN, CZE), the allies
  bordering Russia/Belarus/Ukraine or holding the Black Sea front, plus Finland (1,340 km border
  with Russia since 2023). Czechia has no such border but is kept with its B9 grouping; Norway
  borders Russia but is left in 'NATO Europe other' (its exposure is scored in
  ``strategic_assessment.frontline`` instead).
* NATO Europe other: every other NATO ally, including Canada and Turkiye (the USA is excluded).
* Indo-Pacific frontline: JPN, KOR, TWN, PHL (facing the PRC/DPRK on a contested line) plus AUS
  and SGP as key US access partners.
* Other Europe & Caucasus: non-NATO countries in UN M49 Europe, plus Armenia, Azerbaijan, Georgia
  and Cyprus (M49 Western Asia).
* Middle East & Gulf: remaining UN M49 Western Asia, plus Egypt and Iran.
* Central & South Asia: UN M49 Southern and Central Asia (except Iran).
* Indo-Pacific other: the rest of UN M49 Eastern and South-eastern Asia and Oceania.
* Americas: UN M49 Americas (Canada excepted, see above).
* Africa: UN M49 Africa except Egypt.

Strategic assessment criteria (scores 0-5, decimals allowed; source ``analyst_2026``)
-----------------------------------------------------------------------------------
* ``frontline``: exposure to a US adversary on a contested front (5 = borders or is at war with
  Russia, or faces the PRC/DPRK/Iran directly on a contested line; 0 = no exposure). ``theater``
  names the front.
* ``us_plans_role``: role in US plans and operations (hosts headquarters, fleets, logistics hubs,
  named in US posture).
* ``basing_access``: formal US basing/access (5 = major permanent bases; 4 = multiple access
  agreements or significant rotational forces; 3 = DCA/limited access; 1-2 = exercises only;
  0 = none).
* ``interoperability``: share of US systems and NATO standardisation (F-35/Patriot/HIMARS
  operators high; Russian- or Chinese-equipped forces low).
* ``industrial_investment``: investment in or co-production with US production lines (capital,
  plants, licence production feeding US lines; pledges scored below realised investment).
* ``end_use_risk``: end-use, diversion or misuse risk (0 = negligible, 5 = severe). A COST
  criterion: higher is worse.

Every assessment row has a one-sentence rationale citing keys from the notes (e.g. [TR], [MS]) or
the data files; facts the notes mark ``(m)`` (compiler's memory) are labelled 'unverified'.

Known defects handled
---------------------
* DMDC: South Korea and Italy rows are ~2x the published DMDC reports; the published Sep-2023
  figures (press_TR) replace them. Turkiye's value is kept but flagged as possibly doubled.
* DMDC rows with an empty iso3 (Kosovo, Vietnam, ...) are fixed by name (``iso3_fixes.csv``);
  the Vine base list codes Kosovo as KSV.
* SIPRI estimate colouring is not in the CSV, so SIPRI rows carry ``is_estimate = false``.
* Taiwan is absent from the World Bank: GDP = SIPRI current milex / (share of GDP / 100) and
  population = current milex / milex per capita, flagged as estimates.

Modules
-------
``common`` (paths, constants, schema catalog, seed writer), ``inputs`` (reading shared and curation
files), ``partners`` (universe, regions, geography, eligibility), ``spending`` (SIPRI, NATO,
estimates, pledges; economy), ``context`` (governance, US presence, US deliveries), ``assessments``
(strategic judgements), ``lines`` (production lines and their facts), ``orders`` (the order book),
``sources`` (the source table), ``run`` (the curation run and its command line).
"""

from __future__ import annotations

from data.curate.common import (  # noqa: F401 - the package's public names
    ANALYST, ASSESSED_EXTRA, CURATION_DIR, DATA_DIR, DECIMALS, DEFAULT_SHARED, FH_EDITIONS,
    FIRST_YEAR, JUDGED_CRITERIA, KEY_ALIASES, LAST_YEAR, NAME_OVERRIDES, NATO_YEARS, PROJECT_ROOT,
    REGIONS, SCHEMA_PATH, SEEDS_DIR, SELLER, cited_source_ids, notes_partners, primary_keys,
    schema_columns, verify_seeds, write_seed, _bool, _catalog, _format,
)
from data.curate.inputs import (  # noqa: F401 - the package's public names
    read_curation, read_shared,
)
from data.curate.partners import (  # noqa: F401 - the package's public names
    build_eligibility, build_geography, build_partner, default_region,
)
from data.curate.spending import (  # noqa: F401 - the package's public names
    NATO_EDITION, NATO_SOURCE, SIPRI_SOURCE, build_economy, build_spending, nato_spending,
    sipri_spending, spending_rows,
)
from data.curate.context import (  # noqa: F401 - the package's public names
    build_governance, build_us_arms_delivery, build_us_presence,
)
from data.curate.assessments import (  # noqa: F401 - the package's public names
    build_strategic_assessment, judged_partners_required, judgement_sources, read_judgements,
)
from data.curate.lines import (  # noqa: F401 - the package's public names
    LOAD_FIELDS, build_line_fact, build_production_line, build_source_domain, foreign_backlog,
)
from data.curate.orders import (  # noqa: F401 - the package's public names
    build_arms_order,
)
from data.curate.sources import (  # noqa: F401 - the package's public names
    build_source,
)
from data.curate.run import (  # noqa: F401 - the package's public names
    curate, main,
)
