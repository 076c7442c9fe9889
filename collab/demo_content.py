"""Demo data for Collab: the partnership, plans and general feedback of the Online Action Planning Workshop."""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "workshop-demo-2026"

FACILITATOR: dict[str, str] = {
    "name": "Gintarė Vaitkutė",
    "email": "facilitator@collab.example",
}

WORKSHOP: dict[str, str] = {
    "title": "Online Action Planning Workshop",
    "description": (
        "Peer-review workshop of the partnership's **Action Plans**. "
        "Each partner first presents its plan in plenary (10 minutes at most), "
        "then pairs of partners meet in three breakout rooms to present their plans "
        "to each other and post structured feedback section by section. "
        "The session closes in plenary with general feedback from the Lead Partner "
        "on readability, adoption, feasibility, monitoring, completeness and design."
    ),
    "starts_at": "2026-03-12T09:00:00Z",
}

# A session that has already happened, in the same pairs, so a new user also sees the after-part:
# its round is closed, it has ended, and it left the Lead Partner's GENERAL_FEEDBACK on every plan.
PAST_WORKSHOP: dict[str, str] = {
    "title": "Kick-off peer review of the first drafts",
    "description": (
        "The partnership's first review of the draft Action Plans, in the same pairs as today. "
        "It closed with the Lead Partner's general feedback, which each partner answers on its "
        "plan's feedback page."
    ),
    "starts_at": "2026-01-22T09:00:00Z",
}

# The workshop's resources (links kept with it, shown on its page and in its rooms): what the
# partners watch or read before and between the rounds.
RESOURCES: list[dict[str, str]] = [
    {"title": "Recording: the partners' first presentations of their Action Plans (kick-off, 22 January)",
     "url": "https://media.collab.example/kick-off/first-presentations", "kind": "recording"},
    {"title": "Study visit to Klaipėda: the KEDS marketing council at work",
     "url": "https://media.collab.example/study-visits/klaipeda", "kind": "video"},
    {"title": "Study visit to Lubelskie: export vouchers for SMEs",
     "url": "https://media.collab.example/study-visits/lubelskie", "kind": "video"},
    {"title": "Interreg Europe Action Plan template",
     "url": "https://media.collab.example/documents/action-plan-template", "kind": "document"},
]

ROOMS: list[dict[str, Any]] = [
    {"name": "Room 1", "partners": ["ACEP", "SODEBUR"]},
    {"name": "Room 2", "partners": ["KLAIPEDA", "RRDA"]},
    {"name": "Room 3", "partners": ["PANNON", "LOMB"]},
]


# ---------------------------------------------------------------------------
# Poland 1 - ACEP (Lubelskie). Deliberate weakness: a jargon-heavy executive
# summary that a reader who does not know the region cannot follow.
# ---------------------------------------------------------------------------

_ACEP_SECTIONS: list[dict[str, str]] = [
    {
        "key": "executive-summary",
        "title": "Executive summary",
        "body": """The AP operationalises the RIS3-compliant internationalisation pathway of the LV ecosystem within the FEL 2021–2027 PI framework (PO1, SO 1.3), leveraging EDP-derived insights and GPs transferred from the IE partnership. Through a three-pillar intervention logic (**EXPO-X**, **SCALE-UP LUB**, **DIGI-EXPORT**) the AP addresses systemic bottlenecks along the export-readiness value chain, ensuring additionality vis-à-vis PARP/PAIH instruments and complementarity with FEPW and the KPO.

Key deliverables:

- **EXPO-X** – diagnostic-cum-coaching scheme feeding a demand-driven voucher pipeline for export-ready SMEs in the SS domains;
- **SCALE-UP LUB** – collective market-entry instruments (CMEs) with B2B brokerage and post-event aftercare;
- **DIGI-EXPORT** – cross-border e-commerce capacity building aligned with the DESI gap analysis.

Expected impacts include increased export propensity of the SME base, enhanced KET uptake and improved ecosystem connectivity, captured through the RCO/RCR indicator framework of the CPR and ACEP's internal KPI dashboard. Governance is ensured through the RIS3 Steering Committee and the LP-led Phase 2 monitoring cycle.
""",
    },
    {
        "key": "general-information",
        "title": "General information",
        "body": """| | |
| --- | --- |
| **Partner** | ACEP – Agency for the Competitiveness of Eastern Poland |
| **Organisation(s)** | Agency for the Competitiveness of Eastern Poland (ACEP) |
| **Country** | Poland |
| **NUTS 2 region** | Lubelskie Voivodeship (PL81) |
| **Contact person** | Katarzyna Zając, Head of the Internationalisation Unit – katarzyna.zajac@acep.collab.example |
| **Second contact** | Michał Wróblewski, Project Officer – michal.wroblewski@acep.collab.example |

**About the partner.** ACEP is a regional development agency based in **Lublin**, owned by the Lubelskie Voivodeship and a group of municipalities. It runs business advisory services, the regional Enterprise Europe Network contact point and investor-relations activities for eastern Poland. Around 45 staff work in three units: internationalisation, innovation services and financial instruments.

**About the region.** Lubelskie is one of the least industrialised regions of the EU. It has 2 million inhabitants, a strong agri-food and bioeconomy base, a growing IT and medical sector around Lublin, Puławy and Świdnik, and a 467 km external border with Ukraine and Belarus. The war in Ukraine closed or disrupted the traditional eastern export markets of many small firms, which now have to find customers in the EU single market.
""",
    },
    {
        "key": "policy-context",
        "title": "Policy context",
        "body": """**Policy instrument addressed:** *European Funds for Lubelskie 2021–2027* (Fundusze Europejskie dla Lubelskiego, **FEL**), the regional programme co-financed by the ERDF and ESF+.

- **Priority 1** – Innovative and competitive economy
- **Specific objective 1.3** – Enhancing sustainable growth and competitiveness of SMEs
- **Managing Authority** – Board of the Lubelskie Voivodeship, served by the Department of Regional Programme Management of the Marshal's Office in Lublin

**Why this instrument.** FEL allocates over EUR 2.2 billion in total, of which a significant share goes to SME competitiveness. In the 2014–2020 period, however, internationalisation calls were under-subscribed: many micro and small firms were not *export-ready* when the call opened, applications were of low quality and almost a third of the contracted projects asked for changes or were abandoned. The calls financed trade-fair trips but no preparation or follow-up.

**Improvement sought (type of change).** ACEP aims to improve the *management* of FEL by:

1. introducing a preparatory *export-readiness* step before SMEs apply for FEL internationalisation vouchers;
2. funding collective rather than individual trade missions in the four regional smart specialisations: **bioeconomy**, **medicine and health**, **IT and automation**, **low-emission energy**;
3. adding digital export channels (e-commerce, online marketplaces) to the eligible costs.

**Lessons from the partnership.** The plan draws on the Lombardy practice of staged vouchers for SMEs, the soft-landing services of Klaipėda ID and the SODEBUR approach of one-to-one mentoring for rural firms.
""",
    },
    {
        "key": "action-1",
        "title": "Action 1 – EXPO-X export-readiness programme",
        "body": """### Background

During the study visit to Milan the partnership learnt how Lombardy links a short diagnostic with staged vouchers, so that only companies with a realistic export plan receive funding. In Lubelskie, FEL internationalisation vouchers were given on a first-come, first-served basis and many were not used well.

### Action

ACEP will run **EXPO-X**, a 6-month export-readiness programme for **60 SMEs** in two cohorts:

- a free *export-readiness check* (online questionnaire and a half-day visit);
- 5 coaching sessions with an experienced exporter from the mentor pool;
- a written **export plan** for one or two target markets.

Companies that finish EXPO-X receive a *readiness certificate*, which gives extra points in the FEL internationalisation call.

### Players involved (who does what)

| Who | Does what |
| --- | --- |
| ACEP Internationalisation Unit | designs the check, recruits SMEs, coordinates coaching |
| Marshal's Office, Department of Regional Programme Management | adds the readiness certificate to the FEL selection criteria |
| Lublin Chamber of Commerce | recruits and trains 15 mentors from exporting companies |
| Lublin University of Technology | provides market-research students for desk research |

### Timeframe

- Q2 2026 – design and mentor recruitment
- Q3 2026 – Q1 2027 – cohort 1 (30 SMEs)
- Q2 2027 – Q4 2027 – cohort 2 (30 SMEs)

### Costs

Approximately **EUR 420,000** (coaching EUR 240,000, staff EUR 130,000, events and tools EUR 50,000).

### Funding sources

FEL 2021–2027, Priority 1 (technical support to SMEs), with 15% co-financing from ACEP's own budget.
""",
    },
    {
        "key": "action-2",
        "title": "Action 2 – SCALE-UP LUB collective trade missions",
        "body": """### Background

Single firms from Lubelskie are rarely visible at large international fairs. The Klaipėda ID and Burgos presentations showed that a shared stand under a regional brand attracts more visitors and media, and reduces the cost per company.

### Action

Four **collective stands and B2B missions** per year, one for each smart specialisation, for example:

- **Medicine and health** – MEDICA, Düsseldorf
- **IT and automation** – Hannover Messe
- **Bioeconomy** – SIAL Paris or Anuga, Cologne
- **Low-emission energy** – The smarter E Europe, Munich

Each mission includes preparation (matchmaking via the Enterprise Europe Network), the stand itself and **three months of aftercare**: follow-up of leads, support with offers and contracts.

### Players involved (who does what)

- **ACEP** – organises missions, contracts stand builders, runs aftercare
- **Marshal's Office** – co-brands the stands with the *Lubelskie* brand, invites the regional Board member
- **Cluster organisations** (Lublin Medical Cluster, Eastern ICT Cluster, Bioeconomy Cluster) – select the participating firms
- **Polish Investment and Trade Agency (PAIH) foreign offices** – support local matchmaking

### Timeframe

A pilot mission at MEDICA in **November 2026**, then four missions a year in 2027 and 2028 – **nine missions** in total.

### Costs

About **EUR 810,000** over three years, i.e. around EUR 90,000 per mission including aftercare. Participating firms pay 20% of their direct costs.

### Funding sources

FEL 2021–2027, Priority 1, specific objective 1.3 (regional internationalisation project led by ACEP); company contributions.
""",
    },
    {
        "key": "action-3",
        "title": "Action 3 – DIGI-EXPORT e-commerce clinic",
        "body": """### Background

Many small producers of food, cosmetics and furniture in Lubelskie cannot afford trade fairs but could sell online to other EU countries. Only 11% of regional SMEs sell online across borders, well below the EU average.

### Action

A **DIGI-EXPORT clinic** that helps 100 small companies open one foreign online channel (own web shop, Amazon, Allegro's foreign sites or a B2B marketplace):

- 4 practical workshops (logistics, VAT and returns, product listings, online payments);
- 10 hours of individual support per company;
- a small voucher (up to EUR 5,000) for translation, photography and marketplace fees.

### Players involved (who does what)

- **ACEP** – runs the clinic and manages the vouchers
- **Lublin University of Technology, Faculty of Management** – provides trainers and students for product-listing work
- **Marshal's Office** – makes digital export costs eligible in the FEL voucher scheme

### Timeframe

Pilot with 20 firms in Q1–Q2 2027, full roll-out 2027–2028.

### Costs

**EUR 650,000** (vouchers EUR 500,000, trainers and staff EUR 150,000).

### Funding sources

FEL 2021–2027 voucher scheme; private contribution of at least 10% of the voucher value.
""",
    },
    {
        "key": "monitoring",
        "title": "Monitoring",
        "body": """ACEP's Internationalisation Unit monitors the plan every six months and reports to the Lead Partner during Phase 2. Data come from ACEP's CRM, FEL monitoring data (SL2021 system) and a follow-up survey of supported companies 12 months after support.

| Indicator | Baseline (2025) | Target (2028) | Source |
| --- | --- | --- | --- |
| SMEs completing EXPO-X | 0 | 60 | ACEP CRM |
| FEL internationalisation projects completed without major changes | 68% | 85% | Marshal's Office |
| Companies taking part in collective missions | 0 | 72 | ACEP |
| New export contracts signed within 12 months | n/a | 40 | follow-up survey |
| SMEs selling online in at least one other EU country | 11% | 15% | regional SME survey |

**Who monitors**

- **Michał Wróblewski** (ACEP) collects the data and writes the half-year report.
- The **RIS3 Steering Committee** of the Lubelskie Voivodeship discusses the report once a year.
- The **Lead Partner** receives the report at the end of each Phase 2 semester.

If an action falls behind its target by more than 30%, ACEP will propose a corrective measure to the Steering Committee.
""",
    },
    {
        "key": "endorsement",
        "title": "Endorsement",
        "body": """**Policy body:** Board of the Lubelskie Voivodeship (Managing Authority of FEL 2021–2027).

**Adoption status:** a **letter of support** for the draft plan was signed by the Member of the Board responsible for regional development on **20 January 2026**. The formal endorsement of the final plan by resolution of the Board is planned for **June 2026**, after the comments received in this workshop have been addressed.

**Signed by:**

- Member of the Board of the Lubelskie Voivodeship – *(signature, stamp)*
- Director of ACEP – *(signature, stamp)*
""",
    },
]


# ---------------------------------------------------------------------------
# Spain - Burgos Provincial Council & SODEBUR. Deliberate weakness: action 3
# leaves part of the "who does what" open.
# ---------------------------------------------------------------------------

_SODEBUR_SECTIONS: list[dict[str, str]] = [
    {
        "key": "executive-summary",
        "title": "Executive summary",
        "body": """The province of **Burgos** is large (14,022 km², bigger than some EU Member States) and empty: it has 371 municipalities, but more than 300 of them have fewer than 500 inhabitants, and half of the 357,000 inhabitants live in the city of Burgos. Villages are losing young people, and shops, bars, garages and small workshops close every year because their owners retire and nobody takes over.

This Action Plan sets out how the **Provincial Council of Burgos** and its development company **SODEBUR** will use the Provincial Strategic Plan to keep economic activity in rural Burgos. It has three actions:

1. **Burgos Rural Talent Landing** – a welcome service that helps remote workers, entrepreneurs and their families settle in a village, with coworking spaces in five rural hubs;
2. **Relevo** – a platform and advisory service that matches retiring owners of rural businesses with new entrepreneurs;
3. **Taste of Burgos micro-tourism** – small tourism and food businesses built around the Camino de Santiago, Atapuerca and the Ribera del Duero wine area.

The actions will cost around **EUR 2.3 million** between 2026 and 2028 and will be financed by the provincial budget, the ERDF programme of Castilla y León and LEADER. The Plenary of the Provincial Council is expected to approve the plan in May 2026.
""",
    },
    {
        "key": "general-information",
        "title": "General information",
        "body": """- **Partner:** Burgos Provincial Council & SODEBUR
- **Organisations:**
  - Provincial Council of Burgos (*Diputación Provincial de Burgos*) – the political body responsible for the provincial strategy;
  - SODEBUR – *Sociedad para el Desarrollo de la Provincia de Burgos*, the public development company of the Provincial Council, which implements the actions.
- **Country:** Spain
- **Region:** Province of Burgos, Autonomous Community of Castilla y León (NUTS 3 ES412)
- **Contact persons:**
  - **Begoña Ibáñez Peña**, Provincial Council of Burgos, Department of Economic Development – begona.ibanez@sodebur.collab.example
  - **Alejandro Núñez Saiz**, SODEBUR, Entrepreneurship and Business Area – alejandro.nunez@sodebur.collab.example

**About SODEBUR.** Created in 1995, SODEBUR supports rural entrepreneurs, promotes tourism in the province, manages business incubators and coworking spaces and runs the *Burgos Alimenta* food brand. It has a team of about 40 people based in Burgos and in local offices in Aranda de Duero, Miranda de Ebro, Villarcayo and Salas de los Infantes.

**Territory.** The province combines an industrial axis (automotive and food industry in Burgos, Miranda de Ebro and Aranda de Duero) with very sparsely populated areas such as Las Merindades, Sierra de la Demanda and Páramos. Its cultural assets include the Cathedral of Burgos and the Sites of Atapuerca (both UNESCO World Heritage) and 180 km of the French Way of the Camino de Santiago.
""",
    },
    {
        "key": "policy-context",
        "title": "Policy context",
        "body": """**Policy instrument addressed:** *Provincial Strategic Plan for Burgos 2021–2027* (Plan Estratégico Provincial), adopted by the Plenary of the Provincial Council, and in particular its **Axis 2 – Economic revitalisation and demographic challenge**.

The Strategic Plan sets the priorities for the provincial budget for economic development (about EUR 11 million a year) and for SODEBUR's work programme. Axis 2 includes measures on entrepreneurship, business support, tourism and the *reto demográfico* (depopulation).

**Weaknesses of the instrument identified during Phase 1:**

- support was mainly **grants for new businesses**; nothing helped an existing business to survive a change of owner;
- newcomers interested in moving to a village had no single contact point and faced a lack of rental housing;
- tourism promotion was done at provincial level, while small businesses needed help to create bookable products.

**Improvement sought.** The plan introduces **three new projects** into Axis 2 and changes the criteria of the provincial grants for entrepreneurs so that taking over an existing rural business scores as high as creating a new one.

**Links to other instruments.** The actions are complementary with the *ERDF Programme of Castilla y León 2021–2027* (SME competitiveness) and the **LEADER** local development strategies of the five Local Action Groups in the province, and contribute to the Spanish *130 Measures against the Demographic Challenge*.
""",
    },
    {
        "key": "action-1",
        "title": "Action 1 – Burgos Rural Talent Landing",
        "body": """### Background

After 2020 many people contacted SODEBUR asking how to move to a village and keep their job remotely, but there was no organised answer. The Klaipėda ID *soft landing* service, presented during the partnership visit to Lithuania, showed how a single welcome point can accompany newcomers from the first contact to the first year.

### Action

SODEBUR will set up **Burgos Rural Talent Landing**:

- a **welcome desk** (web, phone and in person) with a personal adviser for each family;
- a **housing bank** of empty houses offered for rent by municipalities and private owners, with a guarantee covered by the Provincial Council;
- five **rural hubs** with coworking spaces and good broadband in Medina de Pomar, Lerma, Salas de los Infantes, Briviesca and Roa;
- a "**first year**" programme: meeting local people, help with schools and health centres, contacts with local businesses.

### Players involved (who does what)

| Who | Does what |
| --- | --- |
| SODEBUR | runs the welcome desk, advisers and the hubs |
| Provincial Council | funds the housing guarantee and the promotion campaign |
| Municipalities of the five hubs | provide buildings and register empty houses |
| Local Action Groups | connect newcomers with local associations |

### Timeframe

Welcome desk from September 2026; hubs opened one by one between 2026 and 2027; evaluation at the end of 2028.

### Costs

**EUR 980,000** (hubs refurbishment and equipment EUR 520,000, staff EUR 300,000, housing guarantee and promotion EUR 160,000).

### Funding sources

Provincial budget (Axis 2) and the ERDF Programme of Castilla y León 2021–2027 for the refurbishment of the hubs.
""",
    },
    {
        "key": "action-2",
        "title": "Action 2 – Relevo: business continuity in rural Burgos",
        "body": """### Background

A SODEBUR survey in 2025 counted **about 1,100 rural businesses** whose owner is over 60 and has no successor: bakeries, village shops, bars, garages, carpentries and small farms. When they close, the village often loses its last service. In Poland and Italy the partnership saw *business transfer* platforms that match sellers and buyers.

### Action

**Relevo** (Spanish for "relay") will:

- keep an online **register of businesses for transfer**, with anonymous profiles;
- offer sellers free **valuation and legal advice** to prepare the transfer;
- train buyers (young people, newcomers, employees) in a 40-hour takeover course;
- give a **takeover grant** of up to EUR 15,000, equal to a grant for a new business.

### Players involved (who does what)

- **SODEBUR** – manages the register, advisers and the course
- **Provincial Council** – changes the grant rules and finances the takeover grants
- **Burgos Chamber of Commerce** and **FAE** (Burgos business confederation) – identify sellers and provide mentors
- **Notaries' and lawyers' associations** – provide reduced-fee legal advice

### Timeframe

Grant rules changed in the 2027 call (decision in Q4 2026); register online in Q3 2026; 3 takeover courses per year from 2027.

### Costs

**EUR 860,000** for 2026–2028, including 40 takeover grants (EUR 600,000).

### Funding sources

Provincial budget; ERDF Programme of Castilla y León (SME support line) for the advisory part.
""",
    },
    {
        "key": "action-3",
        "title": "Action 3 – Taste of Burgos micro-tourism",
        "body": """### Background

Burgos has world-class assets (the Cathedral, Atapuerca, the Camino de Santiago, Ribera del Duero wines, *queso de Burgos* and *morcilla*), but most rural tourism businesses are very small and sell only rooms, not experiences. Visitors stay on average 1.7 nights.

### Action

Support **30 micro-businesses** to design and sell bookable experiences (wine and cheese tastings, Camino stages with luggage transport, archaeology days near Atapuerca, star-gazing in Las Merindades):

- product-design workshops;
- joint online booking under the *Burgos Alimenta* and provincial tourism brands;
- a familiarisation trip for tour operators each year.

### Players involved (who does what)

- **SODEBUR Tourism Area** – leads the action and the workshops
- **Provincial Council** – promotion budget
- Other partners (wine route associations, Atapuerca Foundation, tour operators) – *roles to be agreed with the Local Action Groups during 2026*

### Timeframe

2026–2028.

### Costs

About **EUR 450,000**.

### Funding sources

Provincial tourism budget; LEADER funding to be requested by the Local Action Groups.
""",
    },
    {
        "key": "monitoring",
        "title": "Monitoring",
        "body": """SODEBUR's Entrepreneurship and Business Area is responsible for monitoring, with one report per year to the **Economic Development Committee** of the Provincial Council and one report per Phase 2 semester to the Lead Partner.

| Indicator | Action | Baseline | Target 2028 |
| --- | --- | --- | --- |
| Families settled through the welcome desk | 1 | 0 | 120 |
| Occupancy rate of the rural hubs | 1 | – | 60% |
| Houses registered in the housing bank | 1 | 0 | 150 |
| Businesses registered for transfer | 2 | 0 | 200 |
| Businesses taken over with Relevo support | 2 | 0 | 40 |
| Bookable experiences on sale | 3 | 12 | 50 |
| Average length of stay (nights) | 3 | 1.7 | 2.0 |

**Data sources:** SODEBUR CRM; municipal population registers (*padrón*) for the newcomers; the regional tourism statistics of Castilla y León for the length of stay.

A short satisfaction survey will be sent to every family and every buyer one year after support.
""",
    },
    {
        "key": "endorsement",
        "title": "Endorsement",
        "body": """**Policy body:** Plenary of the Provincial Council of Burgos (responsible for the Provincial Strategic Plan).

**Adoption status:**

- the **Board of Directors of SODEBUR** approved the draft plan on **26 February 2026**;
- the plan will go to the **Economic Development Committee** in April 2026 and to the **Plenary** for approval in **May 2026**.

A signed copy of the Plenary agreement will be annexed to the final version.

*Signed: President of the Provincial Council of Burgos; Managing Director of SODEBUR.*
""",
    },
]


# ---------------------------------------------------------------------------
# Lithuania - Klaipėda City Municipality Administration (KLAMUN) + Klaipėda ID.
# Built on KEDS: 109 measures, 47 implemented by KLAMUN, 26 by Klaipėda ID,
# which also leads the KEDS marketing council.
# ---------------------------------------------------------------------------

_KLAIPEDA_SECTIONS: list[dict[str, str]] = [
    {
        "key": "executive-summary",
        "title": "Executive summary",
        "body": """**Klaipėda** is Lithuania's third-largest city and its only seaport. Its long-term plan for jobs and growth is the **Klaipėda Economic Development Strategy (KEDS)**, which contains **109 measures**: from attracting investors and talent to improving the city's image. No single organisation can deliver it. The **Klaipėda City Municipality Administration (KLAMUN)** is responsible for **47** of the measures and the city's development agency **Klaipėda ID** for **26**; the others are delivered by the port, the Free Economic Zone, the universities and business organisations.

In Phase 1 we learnt that the strategy is good but its delivery is hard to follow: measures have no clear owner, progress is reported once a year in a long document and the city's marketing is done by many organisations separately. This Action Plan therefore improves **how KEDS is delivered**, through three actions:

1. **KEDS delivery dashboard** – every KLAMUN measure gets an owner, a "measure passport" and quarterly progress data, published online;
2. **Talent landing in Klaipėda** – Klaipėda ID extends its welcome services for international specialists and returning Lithuanians and their families;
3. **One Klaipėda story** – the **KEDS marketing council**, led by Klaipėda ID, agrees one annual marketing plan and shared campaigns for the city.

The three actions cost about **EUR 1.35 million** for 2026–2028, funded by the municipal budget and the EU Funds Investment Programme of Lithuania 2021–2027. The plan will be approved by order of the Director of the Municipal Administration and presented to the City Council.
""",
    },
    {
        "key": "general-information",
        "title": "General information",
        "body": """| | |
| --- | --- |
| **Partner** | Klaipėda (Lithuania) |
| **Organisations** | Klaipėda City Municipality Administration (**KLAMUN**); **Klaipėda ID** (public agency for economic development, investment and city marketing, owned by the municipality) |
| **Country** | Lithuania |
| **Region** | Klaipėda County (NUTS 3 LT023), city of Klaipėda |
| **Contact – KLAMUN** | Rūta Jankauskienė, Strategic Planning Division – ruta.jankauskiene@klaipeda.collab.example |
| **Contact – Klaipėda ID** | Mindaugas Žukauskas, Head of Talent and Marketing – mindaugas.zukauskas@klaipeda.collab.example |

**Who does what in the partnership.** KLAMUN owns the strategy, coordinates its implementation and reports to the City Council. Klaipėda ID implements the investment, talent and marketing measures, runs the *Work in Klaipėda* and *Study in Klaipėda* services and chairs the KEDS marketing council.

**The city in brief.**

- about **160,000** inhabitants, the centre of a functional area of 330,000;
- an ice-free **port** handling around 40 million tonnes of cargo a year;
- the **Klaipėda Free Economic Zone**, with manufacturing, logistics and a growing clean-energy cluster (offshore wind, green hydrogen);
- **Klaipėda University**, LCC International University and Klaipėda State University of Applied Sciences;
- tourism gateway to the **Curonian Spit** (UNESCO World Heritage) via Smiltynė.

The website of the partnership is bilingual (LT/EN); all public outputs of this plan will be published in Lithuanian and English.
""",
    },
    {
        "key": "policy-context",
        "title": "Policy context",
        "body": """**Policy instrument addressed:** *Klaipėda Economic Development Strategy* (**KEDS**) and its implementation plan, adopted by the Klaipėda City Municipal Council.

KEDS sets a long-term vision for Klaipėda as an attractive place to **invest, work, study and live**. It is organised in strategic directions (business and investment, talent and education, quality of life and urban environment, city image), broken down into **109 measures**.

**Implementation is shared:**

| Implementer | Number of measures | Examples |
| --- | --- | --- |
| Klaipėda City Municipality Administration (KLAMUN) | **47** | business infrastructure, public spaces, schools, transport |
| Klaipėda ID | **26** | investor services, talent attraction, city marketing |
| Other partners (port authority, Free Economic Zone, universities, business associations, state agencies) | 36 | port development, study programmes, sector events |
| **Total** | **109** | |

**Governance.** The KEDS Steering Group (city leadership, business and universities) meets twice a year. Klaipėda ID leads the **KEDS marketing council**, where all organisations that promote Klaipėda (municipality, port, Free Economic Zone, universities, tourism sector) coordinate their messages.

**Problems identified in Phase 1:**

- measures are written in general terms and **owners are not always named** inside KLAMUN;
- the annual report is long and published too late to change anything;
- talent attraction is growing, but **retention** (spouses, children, housing) is weak;
- marketing budgets are spread over many organisations with different messages.

**Improvement sought:** improved **governance and management** of the instrument (actions 1 and 3) and **new projects** financed under it (action 2).
""",
    },
    {
        "key": "action-1",
        "title": "Action 1 – KEDS delivery dashboard (KLAMUN)",
        "body": """### Background

KLAMUN implements 47 of the 109 KEDS measures, spread over eight departments. In the last annual report, 14 of them had no clear responsible person and 9 had no data. At the partnership meetings, the Lombardy monitoring system of the regional programme and the ACEP half-year reporting showed how short, regular reports help decision-makers.

### Action

- Write a one-page **measure passport** for each of the 47 KLAMUN measures: owner, objective, milestones, budget line, indicator.
- Collect progress **every quarter** through a simple online form.
- Publish a **public KEDS dashboard** (LT/EN) on the municipality's website, with a traffic-light status for every measure.
- Invite Klaipėda ID and the other implementers to use the same passport for their measures from 2027, so that all 109 measures are covered.

### Players involved (who does what)

| Who | Does what |
| --- | --- |
| KLAMUN Strategic Planning Division | coordinates, trains measure owners, prepares the quarterly summary |
| KLAMUN departments (8) | name owners, fill in passports and quarterly data |
| KLAMUN IT Division | builds the dashboard on the existing open-data portal |
| Klaipėda ID | tests the passport on its 26 measures in 2026 |
| KEDS Steering Group | reviews the dashboard twice a year and decides on corrections |

### Timeframe

- April–June 2026 – passports for the 47 KLAMUN measures
- Q3 2026 – first quarterly data collection, pilot with Klaipėda ID
- Q1 2027 – public dashboard online
- 2027–2028 – extension to all 109 measures

### Costs

**EUR 180,000** (dashboard development EUR 70,000, staff time EUR 90,000, training EUR 20,000).

### Funding sources

Municipal budget of Klaipėda (strategic planning programme).
""",
    },
    {
        "key": "action-2",
        "title": "Action 2 – Talent landing in Klaipėda (Klaipėda ID)",
        "body": """### Background

Employers in the Free Economic Zone, the port and the IT sector report that they cannot find engineers, IT specialists and health professionals. Klaipėda ID already helps foreign specialists through *Work in Klaipėda*, but about one in three leaves within two years, most often because the **spouse does not find a job** or the family does not settle. The Burgos *Rural Talent Landing* idea and the Lombardy partnerships with employers inspired an extended offer.

### Action

Klaipėda ID will turn its service into a full **talent landing package**:

- **International House Klaipėda** – one office for registration, residence permits, tax and health insurance questions, with state institutions present one day a week;
- a **spouse career programme**: CV advice, Lithuanian language course, introductions to employers;
- a **"Come back to Klaipėda"** campaign for Lithuanians living abroad;
- welcome events four times a year with local families and companies.

### Players involved (who does what)

- **Klaipėda ID** – leads the action, runs International House and the campaigns
- **KLAMUN Education Division** – places in international classes of municipal schools and kindergartens
- **Migration Department** and **State Tax Inspectorate** – weekly presence at International House
- **Klaipėda Free Economic Zone** and employer associations – co-finance the spouse programme and recruit through it
- **Klaipėda University** – Lithuanian courses for newcomers

### Timeframe

International House opens in **September 2026**; spouse programme from January 2027; campaign for returning Lithuanians in summer 2026 and 2027.

### Costs

**EUR 720,000** for 2026–2028 (premises and staff EUR 480,000, programmes EUR 160,000, campaigns EUR 80,000).

### Funding sources

EU Funds Investment Programme of Lithuania 2021–2027 (ESF+ measure for attracting and integrating talent), municipal budget, employers' contributions (about EUR 60,000).
""",
    },
    {
        "key": "action-3",
        "title": "Action 3 – One Klaipėda story: the KEDS marketing council",
        "body": """### Background

Klaipėda ID leads the **KEDS marketing council**, but until now the council mainly shared information. Each member (municipality, port authority, Free Economic Zone, universities, the tourism information centre, the Curonian Spit tourism sector) kept its own campaigns, visual style and target groups. Klaipėda is therefore known abroad as a port, but not as a place to live, study or invest.

### Action

- The council agrees **one annual marketing plan** for the city, with three target groups: **investors**, **talent and students**, **visitors**.
- A shared **content bank** (photos, videos, key facts in LT/EN/DE/PL) available to all members.
- **Two joint campaigns a year**, co-financed by members (for example *Klaipėda – Baltic city of wind and water* for offshore-wind investors).
- A simple brand guide so that every member uses the same city brand next to its own logo.

### Players involved (who does what)

| Who | Does what |
| --- | --- |
| Klaipėda ID | chairs the council, drafts the annual plan, manages the content bank |
| KLAMUN Communication Division | aligns municipal campaigns and events with the plan |
| Port Authority, Free Economic Zone, universities | co-finance and run joint campaigns for investors and students |
| Tourism information centre and hotel association | lead the visitors' campaign |

### Timeframe

First joint annual plan adopted by the council in **June 2026**; joint campaigns in 2026–2028; review of the brand guide in 2027.

### Costs

**EUR 450,000** (campaigns EUR 330,000, content bank EUR 70,000, coordination EUR 50,000).

### Funding sources

Municipal budget (Klaipėda ID city marketing programme) and contributions of council members (target: 30% of campaign costs).
""",
    },
    {
        "key": "monitoring",
        "title": "Monitoring",
        "body": """Monitoring is shared between the two organisations and integrated into the KEDS reporting cycle.

| Indicator | Responsible | Baseline (2025) | Target (2028) |
| --- | --- | --- | --- |
| KLAMUN measures with a named owner and passport | KLAMUN | 33 of 47 | 47 of 47 |
| KEDS measures reported quarterly on the dashboard | KLAMUN | 0 of 109 | 109 of 109 |
| International specialists and returnees served | Klaipėda ID | 310 per year | 600 per year |
| Share of served specialists still in Klaipėda after 2 years | Klaipėda ID | 64% | 75% |
| Spouses finding a job within 12 months | Klaipėda ID | n/a | 50% |
| Joint campaigns of the marketing council | Klaipėda ID | 0 | 6 |
| Share of marketing council budget spent on joint campaigns | Klaipėda ID | < 5% | 30% |

**Who monitors**

- **Rūta Jankauskienė** (KLAMUN Strategic Planning Division) consolidates all data every quarter and publishes it on the KEDS dashboard.
- **Mindaugas Žukauskas** (Klaipėda ID) provides the data for actions 2 and 3.
- The **KEDS Steering Group** reviews progress twice a year; the **City Council** receives the annual KEDS report.
- The **Lead Partner** receives a joint report of both organisations every Phase 2 semester.
""",
    },
    {
        "key": "endorsement",
        "title": "Endorsement",
        "body": """**Policy body:** Klaipėda City Municipal Council (owner of KEDS) and the Director of the Klaipėda City Municipality Administration.

**Adoption status:**

- the draft was discussed by the **KEDS Steering Group** on **19 February 2026**, which supported the three actions;
- the final plan will be approved by **order of the Director of the Municipal Administration** in **April 2026** and presented to the **Strategic Planning Committee** of the City Council;
- the **Supervisory Board of Klaipėda ID** will confirm the Klaipėda ID budget for actions 2 and 3 in its meeting of April 2026.

*Signed: Director of the Klaipėda City Municipality Administration; Director of Klaipėda ID.*
""",
    },
]


# ---------------------------------------------------------------------------
# Poland 2 - RRDA (Podkarpackie). Deliberate weakness: vague monitoring
# (no baselines, no targets, no named responsible person).
# ---------------------------------------------------------------------------

_RRDA_SECTIONS: list[dict[str, str]] = [
    {
        "key": "executive-summary",
        "title": "Executive summary",
        "body": """Small and medium-sized manufacturers in **Podkarpackie** (south-eastern Poland) face rising energy prices and growing pressure from their large customers, especially in the aviation and automotive supply chains, to reduce their carbon footprint. Most of them do not know where to start and do not apply for the green investment grants that exist.

This Action Plan of the **Rzeszów Regional Development Agency (RRDA)** improves the regional programme *European Funds for Podkarpackie 2021–2027* with two actions:

1. **Green Check** – a free energy and resource audit and a *decarbonisation roadmap* for 150 SMEs, which then helps them prepare good applications for investment grants;
2. **Aviation Valley Green Suppliers** – a supplier development programme with the Aviation Valley cluster, helping 40 small suppliers meet the environmental requirements of their large customers.

Both actions build on practices from the partnership: the Lombardy circular-economy support for manufacturing SMEs and the Hungarian experience with energy communities. Together they cost about **EUR 2.4 million** in 2026–2028.
""",
    },
    {
        "key": "general-information",
        "title": "General information",
        "body": """- **Partner:** RRDA – Rzeszów Regional Development Agency
- **Organisation:** Rzeszów Regional Development Agency (RRDA), a joint-stock company owned by the Podkarpackie Voivodeship and local authorities
- **Country:** Poland
- **Region:** Podkarpackie Voivodeship (NUTS 2 PL82)
- **Contacts:**
  - **Tomasz Szczepański**, Director of the Business Support Department – tomasz.szczepanski@rrda.collab.example
  - **Agnieszka Kołodziej**, Green Economy Expert – agnieszka.kolodziej@rrda.collab.example

**About RRDA.** RRDA has supported companies in Podkarpackie for more than 30 years. It manages loan and guarantee funds, the Rzeszów science and technology park in **Jasionka**, and advisory services for SMEs, and it acts as an intermediate body for some regional programme measures.

**About the region.** Podkarpackie has 2.1 million inhabitants and a strong industrial tradition: the **Aviation Valley** cluster around Rzeszów and Mielec (more than 180 companies), automotive and chemical plants in Krosno, Dębica and Stalowa Wola, and a large number of small metal and plastics workshops. Energy-intensive manufacturing makes up a bigger share of the economy than the Polish average.
""",
    },
    {
        "key": "policy-context",
        "title": "Policy context",
        "body": """**Policy instrument addressed:** *European Funds for Podkarpackie 2021–2027* (Fundusze Europejskie dla Podkarpacia, **FEP**), the regional programme co-financed by the ERDF and ESF+.

- **Priority 1** – Research, innovation and competitiveness (specific objective 1.3, SME competitiveness)
- **Priority 2** – Energy and environment (specific objective 2.1, energy efficiency)
- **Managing Authority:** Board of the Podkarpackie Voivodeship, Marshal's Office in Rzeszów

**The problem.** FEP offers grants for energy efficiency and green investment in SMEs, but in the first calls (2023–2024) only a small number of manufacturing SMEs applied. Companies said that they did not know their own energy use, could not prepare the required energy audit and were afraid of complicated rules. The large firms of the Aviation Valley, on the other hand, started asking suppliers for carbon-footprint data.

**Improvement sought.**

- A **structural change** in FEP: an RRDA *Green Check* becomes an accepted way to meet the audit requirement, and firms with a decarbonisation roadmap receive extra points.
- **New projects** funded by FEP: a supplier development programme for the aviation cluster.

**Strategic links.** The plan contributes to the *Regional Innovation Strategy of Podkarpackie* (smart specialisation **aviation and space**, **quality of life**, **information and telecommunication**) and to the Podkarpackie regional energy strategy.
""",
    },
    {
        "key": "action-1",
        "title": "Action 1 – Green Check for SMEs",
        "body": """### Background

An RRDA survey of 220 manufacturing SMEs in 2025 showed that only **18%** knew how much energy each production line used, and only **7%** had any plan to reduce emissions. At the Lombardy study visit partners saw how a short, standardised audit by a public agency leads firms to invest.

### Action

- A **Green Check**: a two-day on-site audit of energy, water, materials and waste, using a standard method agreed with the Managing Authority.
- A **decarbonisation roadmap** with 3–5 investments, their cost, savings and payback time.
- Help with the **FEP application** for the first investment.
- 150 companies in three yearly waves; priority for metal, plastics, food and wood processing.

### Players involved (who does what)

- **RRDA Business Support Department** – recruits SMEs, coordinates auditors, quality control
- **Pool of certified energy auditors** (contracted by RRDA) – carry out the checks
- **Marshal's Office in Rzeszów** – recognises the Green Check in the FEP call documents and selection criteria
- **Rzeszów University of Technology** – trains auditors in the resource-efficiency part

### Timeframe

- Q2 2026 – method agreed with the Managing Authority
- Q3 2026 – first wave (40 SMEs)
- 2027 and 2028 – waves of 55 SMEs each

### Costs

**EUR 1.05 million** (audits EUR 825,000 – about EUR 5,500 each –, coordination and training EUR 225,000).

### Funding sources

FEP 2021–2027, Priority 2 (technical assistance to SMEs as part of the energy-efficiency measure); SMEs pay 10% of the audit cost.
""",
    },
    {
        "key": "action-2",
        "title": "Action 2 – Aviation Valley Green Suppliers",
        "body": """### Background

Large aerospace companies in Rzeszów and Mielec have set targets to cut emissions in their supply chain. Around 60 small local suppliers (machining, surface treatment, composites, tooling) risk losing contracts if they cannot report and reduce their emissions.

### Action

A 12-month **supplier development programme** for 40 suppliers:

- training in carbon-footprint calculation (Scope 1 and 2) and reporting in customers' formats;
- a pilot project per company (for example heat recovery, solar panels, less solvent use);
- joint purchasing of renewable electricity for interested suppliers;
- a yearly *Green Suppliers Day* with the large customers.

### Players involved (who does what)

| Who | Does what |
| --- | --- |
| Aviation Valley Association | selects suppliers, brings the large customers on board |
| RRDA | manages the programme and the grants for pilot projects |
| Large aerospace companies | mentors, share reporting requirements, take part in the Green Suppliers Day |
| Marshal's Office | launches a dedicated FEP call for the pilot investments |

### Timeframe

Programme launched in **January 2027**, two cohorts of 20 suppliers, ending in December 2028.

### Costs

**EUR 1.35 million** (pilot investment grants EUR 1 million, training and coordination EUR 350,000).

### Funding sources

FEP 2021–2027, Priority 1 (SME competitiveness) for the training and Priority 2 for the investment grants; contributions of the suppliers (at least 30% of pilot investment costs).
""",
    },
    {
        "key": "monitoring",
        "title": "Monitoring",
        "body": """RRDA will monitor the progress of the actions regularly during their implementation. The monitoring will be based on information collected from the companies participating in the actions and from the Managing Authority.

The following indicators will be used:

- number of companies supported;
- number of Green Checks carried out;
- number of applications submitted to FEP;
- level of satisfaction of participants;
- general improvement of the environmental awareness of SMEs in the region.

Reports on the implementation of the actions will be prepared when necessary and shared with the Lead Partner and the regional authorities. If problems occur, appropriate corrective measures will be taken.
""",
    },
    {
        "key": "endorsement",
        "title": "Endorsement",
        "body": """**Policy body:** Board of the Podkarpackie Voivodeship (Managing Authority of FEP 2021–2027).

**Adoption status:** the Department of Regional Development of the Marshal's Office reviewed the draft and confirmed on **5 February 2026** that both actions are in line with FEP. The Board of the Voivodeship will adopt the final plan by **resolution** at one of its meetings in **May 2026**; the resolution will also confirm the change to the FEP selection criteria, which must then be approved by the FEP Monitoring Committee in June 2026.

*Signed: Marshal of the Podkarpackie Voivodeship; President of the Management Board of RRDA.*
""",
    },
]


# ---------------------------------------------------------------------------
# Hungary - PANNON EGTC (Baranya, Drava region). Deliberate weakness: the
# adoption status and the policy body that endorses the plan are unclear.
# ---------------------------------------------------------------------------

_PANNON_SECTIONS: list[dict[str, str]] = [
    {
        "key": "executive-summary",
        "title": "Executive summary",
        "body": """Along the **Drava river**, on the border between Hungary and Croatia, lies one of the poorest rural areas of the European Union: the **Ormánság** and the wider Drava region of Baranya and Somogy counties. Villages are small and ageing, jobs are scarce, and young people leave for Pécs, Budapest or abroad. At the same time the area has unspoilt nature (the **Duna–Dráva National Park**), the **EuroVelo 13** cycle route, thermal spas in Harkány and Siklós, the wines of Villány and a tradition of local food.

**PANNON EGTC**, a European Grouping of Territorial Cooperation of local governments and institutions from Hungary, Croatia and Slovenia, proposes a *green local economy* for the Drava region with three actions:

1. **Drava Green Route** – turning the EuroVelo 13 section along the Drava into a complete cycling and eco-tourism product;
2. **Ormánság Local Products Network** – a cooperative of small producers with a shared processing kitchen and sales to public canteens;
3. **Sunny Villages** – solar energy communities in five small villages, lowering energy bills for families and public buildings.

The total cost is estimated at **EUR 3.2 million** for 2026–2029, to be financed mainly by TOP Plusz, KEHOP Plusz and the Interreg VI-A Hungary–Croatia programme.
""",
    },
    {
        "key": "general-information",
        "title": "General information",
        "body": """| | |
| --- | --- |
| **Partner** | PANNON EGTC |
| **Organisation** | PANNON European Grouping of Territorial Cooperation Ltd. (PANNON EGTC), seat in Pécs |
| **Country** | Hungary |
| **Region** | South Transdanubia (NUTS 2 HU23) – Baranya (HU231) and Somogy (HU232) counties, Drava border area |
| **Contact person** | Ágnes Szőke, Project Manager – agnes.szoke@pannon.collab.example |
| **Second contact** | Gergely Várhelyi, Territorial Development Expert – gergely.varhelyi@pannon.collab.example |

**About PANNON EGTC.** Founded in **Pécs** in 2010, the grouping brings together municipalities, county governments, universities and development organisations from the Hungarian–Croatian–Slovenian border area. It prepares and manages cross-border projects, supports its small member municipalities in applying for EU funds, and acts as a platform for joint territorial planning.

**The Drava region in figures.**

- about 170 settlements, most of them with **fewer than 1,000 inhabitants**;
- the **Sellye** and **Vajszló** area is among the least developed districts of Hungary;
- unemployment and the share of people at risk of poverty are well above the national average;
- some 300,000 overnight stays a year, concentrated in **Harkány** spa; the villages along the river receive very few visitors.
""",
    },
    {
        "key": "policy-context",
        "title": "Policy context",
        "body": """**Policy instrument addressed:** *Territorial and Settlement Development Operational Programme Plus* (**TOP Plusz**) 2021–2027, as implemented through the **Integrated Territorial Programme of Baranya County**.

TOP Plusz is the main Hungarian ERDF/ESF+ programme for local development. Each county prepares an Integrated Territorial Programme that decides which types of local projects will be supported (tourism, local economy, energy efficiency of public buildings, social services). The programme is managed nationally, while the **Baranya County Assembly** plans and selects projects for the county.

**Why we address it.** In the previous period, small Ormánság villages received few funds: they lacked capacity to prepare projects, and the calls favoured separate projects of single municipalities rather than joint products of several villages. Tourism money mostly went to buildings (visitor centres, lookout towers) without operators or packages.

**Change we would like to achieve:**

- joint, **multi-village projects** (a cycling route, a producers' network, energy communities) are accepted and prioritised in the Baranya Integrated Territorial Programme;
- operating costs and networking (not only infrastructure) become eligible;
- PANNON EGTC acts as **project preparation facility** for small municipalities.

**Other relevant instruments:** the *Environment and Energy Efficiency Operational Programme Plus* (**KEHOP Plusz**) for renewable energy, the **Interreg VI-A Hungary–Croatia** programme for cross-border tourism, and the *Hungarian Villages Programme* (Magyar Falu Program).
""",
    },
    {
        "key": "action-1",
        "title": "Action 1 – Drava Green Route",
        "body": """### Background

**EuroVelo 13** (the Iron Curtain Trail) runs along the Drava, but on the Hungarian side there are few bike services, signposts are incomplete and cyclists rarely stay overnight. The Burgos experience with the Camino de Santiago showed the partnership how a long-distance route can bring income to small villages if services are organised along it.

### Action

- **Bike service points** in 8 villages (repair tools, water, charging for e-bikes, information board).
- A **bike-friendly accommodation** label for guesthouses (secure bike storage, drying room, early breakfast), with training for 30 hosts.
- **Canoe and boat stations** at Drávaszabolcs and Drávasztára in cooperation with the national park.
- Three **bookable packages** (Harkány–Sellye–Barcs, Villány wine and bike, cross-border loop via Donji Miholjac in Croatia).

### Players involved (who does what)

| Who | Does what |
| --- | --- |
| PANNON EGTC | coordinates, prepares the TOP Plusz and Interreg applications |
| Member municipalities (Drávaszabolcs, Sellye, Vajszló, Barcs and others) | build and maintain the service points |
| Duna–Dráva National Park Directorate | approves locations, runs nature interpretation |
| Baranya County Tourism Association | labels accommodation, sells the packages |
| Croatian partner municipalities | build the cross-border loop on their side |

### Timeframe

Project preparation in 2026; construction and labelling in 2027; packages on sale for the **2028 season**.

### Costs

About **EUR 1.6 million** (service points and boat stations EUR 1.2 million, labelling and training EUR 150,000, marketing and packages EUR 250,000).

### Funding sources

TOP Plusz (Baranya Integrated Territorial Programme, sustainable tourism); Interreg VI-A Hungary–Croatia for the cross-border loop; municipal own contribution.
""",
    },
    {
        "key": "action-2",
        "title": "Action 2 – Ormánság Local Products Network",
        "body": """### Background

Around 60 small producers in the Ormánság (vegetables, honey, fruit, dairy, traditional *ormánsági* pastries) sell mainly at the farm gate. They cannot meet hygiene rules for processing or deliver regularly to shops. Schools and social kitchens in the district, however, buy almost all their food from distant wholesalers.

### Action

- Create the **Ormánság Local Products Network**, a producers' cooperative with a common brand.
- Equip a **shared processing kitchen** in Sellye, certified for jams, juices, pickles and baked goods.
- Organise a **weekly delivery round** to 20 school, kindergarten and social canteens in the district.
- Hold a monthly **producers' market** in Sellye and a stand in Pécs.

### Players involved (who does what)

- **PANNON EGTC** – facilitates the founding of the cooperative and prepares the funding application
- **Municipality of Sellye** – provides the building for the kitchen
- **Producers** – found and run the cooperative
- **Public canteens** of the district – sign framework purchase agreements
- **Hungarian University of Agriculture and Life Sciences, Kaposvár Campus** – training on food safety and product development

### Timeframe

Cooperative founded in Q4 2026; kitchen operational in mid-2027; canteen deliveries from September 2027.

### Costs

**EUR 520,000** (kitchen refurbishment and equipment EUR 380,000, training and brand EUR 60,000, delivery vehicle EUR 80,000).

### Funding sources

TOP Plusz (local economic development); Hungarian Villages Programme for the building; cooperative members' contributions.
""",
    },
    {
        "key": "action-3",
        "title": "Action 3 – Sunny Villages energy communities",
        "body": """### Background

Families in the Drava villages spend a high share of income on heating and electricity, often in old, poorly insulated houses. Municipal budgets are burdened by the energy bills of schools and community houses. The partnership visited energy communities in Lombardy and discussed the Podkarpackie *Green Check* for firms.

### Action

- Install **solar PV** on the roofs of public buildings in five pilot villages (about 250 kWp in total).
- Set up a **local energy community** in each village, sharing the electricity between public buildings and households.
- Provide **energy advice** to 200 households (insulation, heat pumps, available grants).

### Players involved (who does what)

- **PANNON EGTC** – feasibility study, legal model of the communities, applications
- **Five pilot municipalities** – own the installations and host the communities
- **Distribution system operator** – grid connection and metering
- **Energy advisers** (contracted) – household advice

### Timeframe

Feasibility study 2026; installations 2027–2028; communities operating from **2029**.

### Costs

About **EUR 1.1 million**.

### Funding sources

KEHOP Plusz (renewable energy) and TOP Plusz (energy efficiency of municipal buildings).
""",
    },
    {
        "key": "monitoring",
        "title": "Monitoring",
        "body": """PANNON EGTC will monitor the plan with the member municipalities involved. Data will be collected twice a year and summarised in a progress report for the Lead Partner.

| Indicator | Baseline | Target (2029) |
| --- | --- | --- |
| Bike service points in operation | 1 | 8 |
| Accommodation providers with the bike-friendly label | 0 | 30 |
| Overnight stays in Drava villages (excluding Harkány) | 21,000 | 30,000 |
| Producers in the Ormánság network | 0 | 25 |
| Public canteens buying from the network | 0 | 20 |
| Renewable capacity installed in pilot villages (kWp) | 0 | 250 |
| Households receiving energy advice | 0 | 200 |

**Who monitors:** Ágnes Szőke (PANNON EGTC) collects the data from the municipalities, the County Tourism Association and the cooperative, and presents the progress report to the **PANNON EGTC General Assembly** once a year.
""",
    },
    {
        "key": "endorsement",
        "title": "Endorsement",
        "body": """The Action Plan will be presented to the **PANNON EGTC General Assembly**. As PANNON EGTC is not the owner of the policy instrument, we are in contact with several bodies that could support the plan, in particular the **Baranya County Assembly** and the **Managing Authority of TOP Plusz**. Discussions are ongoing and depend also on the timetable of the mid-term review of the programme.

Adoption status: *to be confirmed*. We expect to have more information about the endorsement after the summer of 2026.
""",
    },
]


# ---------------------------------------------------------------------------
# Italy - Lombardy Region. Deliberate weakness: action 3 has no costs yet.
# ---------------------------------------------------------------------------

_LOMB_SECTIONS: list[dict[str, str]] = [
    {
        "key": "executive-summary",
        "title": "Executive summary",
        "body": """**Lombardy** is one of Europe's leading industrial regions: 10 million inhabitants, about 800,000 businesses and a dense network of manufacturing districts around Milan, Bergamo, Brescia, Lecco and Como. Yet most of its companies are **small firms** that invest little in research, find it hard to work with start-ups and universities and struggle to hire qualified people.

This Action Plan of **Lombardy Region** proposes three changes to the *Lombardy ERDF Regional Programme 2021–2027*:

1. **Open Innovation Challenges** – large companies publish concrete technology challenges on the Open Innovation Lombardia platform; SMEs and start-ups that solve them receive a proof-of-concept voucher;
2. **Innovation Talent for SMEs** – grants to help small firms hire an innovation manager or host an industrial PhD together with a Lombard university;
3. **Circular Districts** – demonstration projects on circular economy in four manufacturing districts.

The first two actions will mobilise about **EUR 10.5 million** from the regional programme in 2026–2028. Action 3 is still in preparation; its budget will be decided after a feasibility study. The plan will be approved by decree of the Director-General for Economic Development.
""",
    },
    {
        "key": "general-information",
        "title": "General information",
        "body": """- **Partner:** LOMB – Lombardy Region
- **Organisation:** Lombardy Region (*Regione Lombardia*) – Directorate-General for Economic Development, Research and Innovation Unit
- **Country:** Italy
- **Region:** Lombardy (NUTS 2 ITC4)
- **Contact persons:**
  - **Chiara Colombo**, Research and Innovation Unit – chiara.colombo@lomb.collab.example
  - **Niccolò Brambilla**, ERDF Programming Officer – niccolo.brambilla@lomb.collab.example

**The region.** Lombardy produces more than a fifth of Italy's GDP. Its economy combines services and finance in **Milan** with manufacturing districts specialised in mechanics and metalworking (Lecco, Brescia, Lumezzane), textiles and silk (Como), furniture (Brianza), rubber and plastics (Varese) and food (Cremona, Mantua).

**Research and innovation system.** 14 universities, including Politecnico di Milano, the universities of Milano, Milano-Bicocca, Pavia, Bergamo and Brescia, and nine regional technology clusters (e.g. AFIL for advanced manufacturing, LE2C for energy, Lombardy Green Chemistry Association).

**The partner in the project.** The Directorate-General for Economic Development designs the regional measures for research, innovation and SMEs, and works with **Finlombarda**, the regional financial company, which manages many of the calls.
""",
    },
    {
        "key": "policy-context",
        "title": "Policy context",
        "body": """**Policy instrument addressed:** *Lombardy ERDF Regional Programme 2021–2027* (**PR FESR Lombardia**), EUR 2 billion.

- **Priority 1** – A more competitive and smarter Lombardy
  - *Specific objective 1.1* – research and innovation capacities and uptake of advanced technologies
  - *Specific objective 1.4* – skills for smart specialisation, industrial transition and entrepreneurship
- **Managing Authority:** ERDF Managing Authority of Lombardy Region

**Regional strategy.** The PR FESR implements the *Smart Specialisation Strategy of Lombardy 2021–2027* (S3), with seven *ecosystems of innovation* (among them *Manufacturing and Technologies*, *Sustainable Mobility*, *Health and Life Sciences*, *Nutrition*).

**Challenges identified in Phase 1:**

- **Low participation of small firms:** in the 2014–2020 R&D calls, most funds went to medium-sized and large companies and to universities;
- the **Open Innovation Lombardia** platform has more than 20,000 registered users, but few collaborations become real projects because there is no money for the first test;
- SMEs cannot compete with large companies to hire **innovation managers** and engineers;
- circular economy is part of S3, but funded projects remain isolated.

**Improvement sought:** improved **management** of the instrument (new call models for actions 1 and 2) and a **structural change** in the allocation of specific objective 1.4 towards SME talent.

**Inspiration from the partnership:** the collective approach of ACEP to internationalisation, the Klaipėda ID talent services and the RRDA *Green Check* for manufacturing SMEs.
""",
    },
    {
        "key": "action-1",
        "title": "Action 1 – Open Innovation Challenges",
        "body": """### Background

On the Open Innovation Lombardia platform large companies already describe their needs, but SMEs and start-ups that could answer often stop before a prototype: they have no resources to test the solution, and the large company does not want to pay for an untested idea.

### Action

- **Two rounds of challenges per year**: 10–15 large companies or public bodies publish a technology challenge (e.g. predictive maintenance, recycled polymers, energy monitoring in hospitals).
- SMEs and start-ups submit solutions; the challenge owner and an expert panel select the best ones.
- Winners receive a **proof-of-concept voucher** of up to **EUR 50,000** (80% funding) for a 6-month test with the challenge owner.
- Successful tests can apply for the regular PR FESR *R&D for SMEs* call with a **fast track**.

### Players involved (who does what)

| Who | Does what |
| --- | --- |
| DG Economic Development | designs the call, recruits challenge owners |
| Finlombarda | manages the voucher call, checks and payments |
| Regional technology clusters | help formulate challenges and mobilise SMEs |
| Unioncamere Lombardia (chambers of commerce) | promotion among SMEs in the provinces |
| Large companies and hospitals | publish challenges, host tests, co-finance 20% |

### Timeframe

First round launched in **October 2026**, four rounds by the end of 2028.

### Costs

**EUR 6 million** (about 100 vouchers) plus EUR 300,000 for platform development and expert panels.

### Funding sources

PR FESR Lombardia 2021–2027, specific objective 1.1; private co-financing by the challenge owners.
""",
    },
    {
        "key": "action-2",
        "title": "Action 2 – Innovation Talent for SMEs",
        "body": """### Background

Small firms in Lombardy compete with multinational companies for engineers and innovation specialists and usually lose. At the workshop in Klaipėda the partnership saw how a city agency and employers can attract talent together; in Lombardy the missing link is between SMEs and universities.

### Action

Two grant lines for SMEs with fewer than 250 employees:

- **Innovation manager grant** – 50% of the salary for 24 months (max EUR 60,000) for a newly hired innovation manager with a degree in engineering, science or design;
- **Industrial PhD grant** – funding for a 3-year PhD carried out half in the company and half in a Lombard university (Politecnico di Milano, Università di Bergamo, Università di Brescia and others).

Each company also receives a short **innovation audit** to define the role of the new person.

### Players involved (who does what)

- **DG Economic Development** – designs the measure together with the DG Education, University and Research
- **Finlombarda** – manages the grants
- **Universities** – select and supervise industrial PhD candidates
- **Employers' associations** (Confindustria Lombardia, Confartigianato Lombardia) – reach small firms and craft businesses

### Timeframe

Call opened in **January 2027**, two selection windows a year until the end of 2028.

### Costs

**EUR 4.2 million** (50 innovation managers and 20 industrial PhDs).

### Funding sources

PR FESR Lombardia, specific objective 1.4; the PhD line is co-financed by the *PR FSE+ Lombardia* and the universities.
""",
    },
    {
        "key": "action-3",
        "title": "Action 3 – Circular Districts",
        "body": """### Background

Circular economy is a priority of the Lombardy S3, but supported projects are mostly single-company. Districts where many small firms share the same materials could gain much more from joint solutions: metal scrap in **Lecco** and **Lumezzane**, textile waste in **Como**, wood and panel waste in **Brianza**.

### Action

- A **feasibility study** in the four districts to map material flows and identify joint solutions (shared recycling, industrial symbiosis, take-back schemes).
- **Demonstration projects** in at least two districts, led by groups of at least five SMEs with a research organisation.
- A regional **circular district community** to share results.

### Players involved (who does what)

- **DG Economic Development** together with the **DG Environment and Climate** – lead the action
- Technology clusters (AFIL, Lombardy Green Chemistry Association) and district associations – organise the SME groups
- ERSAF / ARPA Lombardia – environmental data for the feasibility study

### Timeframe

Feasibility study 2026–2027; demonstration call in 2027; projects 2028–2029.

### Costs

*To be defined after the feasibility study.*

### Funding sources

PR FESR Lombardia (specific objective 1.1 and priority 2 on circular economy) – allocation to be discussed with the Managing Authority.
""",
    },
    {
        "key": "monitoring",
        "title": "Monitoring",
        "body": """Monitoring uses the common indicators of the ERDF regulation, so that data are collected automatically through the regional monitoring system (*Bandi e Servizi*) and Finlombarda's reporting.

| Indicator | Code | Action | Target 2028 |
| --- | --- | --- | --- |
| Enterprises supported by grants | RCO02 | 1, 2 | 170 |
| Enterprises cooperating with research organisations | RCO10 | 1, 2 | 70 |
| SMEs introducing product or process innovation | RCR03 | 1 | 60 |
| Researchers working in supported research facilities | RCO08 | 2 | 20 |
| Challenges published on Open Innovation Lombardia | programme-specific | 1 | 50 |
| Innovation managers still employed after 24 months | programme-specific | 2 | 75% |
| District groups running demonstration projects | programme-specific | 3 | 2 |

**Who monitors**

- **Chiara Colombo** (Research and Innovation Unit) coordinates the monitoring and prepares a short report every six months for the Lead Partner.
- **Finlombarda** provides quarterly data on calls, grants and payments.
- The **PR FESR Monitoring Committee** is informed each year in the annual review of the programme.
""",
    },
    {
        "key": "endorsement",
        "title": "Endorsement",
        "body": """**Policy body:** Lombardy Region – Directorate-General for Economic Development, in agreement with the ERDF Managing Authority.

**Adoption status:**

- the draft plan was presented to the **PR FESR Monitoring Committee** on **28 November 2025**;
- the final plan will be approved by **decree of the Director-General for Economic Development** by **July 2026**;
- the call for action 1 requires a resolution of the **Regional Government** (*Giunta regionale*), foreseen for **September 2026**.

*Signed: Director-General for Economic Development; Head of the ERDF Managing Authority.*
""",
    },
]


# ---------------------------------------------------------------------------
# The partnership, in presentation order.
# ---------------------------------------------------------------------------

PARTNERS: list[dict[str, Any]] = [
    {
        "short_name": "ACEP",
        "name": "Agency for the Competitiveness of Eastern Poland",
        "country": "PL",
        "organisations": ["Agency for the Competitiveness of Eastern Poland (ACEP)"],
        "members": [
            {"name": "Katarzyna Zając", "email": "katarzyna.zajac@acep.collab.example"},
            {"name": "Michał Wróblewski", "email": "michal.wroblewski@acep.collab.example"},
        ],
        "plan": {
            "title": "Lubelskie Goes Global: Action Plan for SME Internationalisation",
            "sections": _ACEP_SECTIONS,
            "adoption": {
                "drafted": {"body": "ACEP", "date": "2026-01-15"},
                "sent": {"body": "Board of the Lubelskie Voivodeship", "date": "2026-01-20",
                         "note": "Letter of support for the draft signed by the Member of the Board for regional development; "
                                 "resolution on the final plan expected in June 2026."},
            },
        },
    },
    {
        "short_name": "SODEBUR",
        "name": "Burgos Provincial Council & SODEBUR – Society for the Development of the Province of Burgos",
        "country": "ES",
        "organisations": [
            "Provincial Council of Burgos (Diputación Provincial de Burgos)",
            "SODEBUR – Sociedad para el Desarrollo de la Provincia de Burgos",
        ],
        "members": [
            {"name": "Begoña Ibáñez Peña", "email": "begona.ibanez@sodebur.collab.example"},
            {"name": "Alejandro Núñez Saiz", "email": "alejandro.nunez@sodebur.collab.example"},
        ],
        "plan": {
            "title": "Burgos Rural Talent and Business Continuity Action Plan",
            "sections": _SODEBUR_SECTIONS,
            "adoption": {
                "drafted": {"body": "Board of Directors of SODEBUR", "date": "2026-02-26",
                            "note": "Economic Development Committee in April 2026, then the Plenary of the Provincial Council in May 2026."},
            },
        },
    },
    {
        "short_name": "KLAIPEDA",
        "name": "Klaipėda City Municipality Administration & Klaipėda ID",
        "country": "LT",
        "organisations": [
            "Klaipėda City Municipality Administration (KLAMUN)",
            "Klaipėda ID",
        ],
        "members": [
            {"name": "Rūta Jankauskienė", "email": "ruta.jankauskiene@klaipeda.collab.example"},
            {"name": "Mindaugas Žukauskas", "email": "mindaugas.zukauskas@klaipeda.collab.example"},
        ],
        "plan": {
            "title": "Delivering KEDS: Klaipėda Action Plan for Investment, Talent and City Marketing",
            "sections": _KLAIPEDA_SECTIONS,
            "adoption": {
                "drafted": {"body": "KEDS Steering Group", "date": "2026-02-19",
                            "note": "Supported the three actions; order of the Director of the Municipal Administration expected in April 2026."},
            },
        },
    },
    {
        "short_name": "RRDA",
        "name": "Rzeszów Regional Development Agency",
        "country": "PL",
        "organisations": ["Rzeszów Regional Development Agency (RRDA)"],
        "members": [
            {"name": "Tomasz Szczepański", "email": "tomasz.szczepanski@rrda.collab.example"},
            {"name": "Agnieszka Kołodziej", "email": "agnieszka.kolodziej@rrda.collab.example"},
        ],
        "plan": {
            "title": "Green Transition of Podkarpackie SMEs: Action Plan",
            "sections": _RRDA_SECTIONS,
            "adoption": {
                "drafted": {"body": "RRDA", "date": "2026-01-14"},
                "sent": {"body": "Board of the Podkarpackie Voivodeship", "date": "2026-01-28",
                         "note": "The Marshal's Office confirmed on 5 February 2026 that both actions are in line with FEP; "
                                 "Board resolution expected in May 2026."},
            },
        },
    },
    {
        "short_name": "PANNON",
        "name": "PANNON European Grouping of Territorial Cooperation (PANNON EGTC)",
        "country": "HU",
        "organisations": ["PANNON European Grouping of Territorial Cooperation Ltd. (PANNON EGTC)"],
        "members": [
            {"name": "Ágnes Szőke", "email": "agnes.szoke@pannon.collab.example"},
            {"name": "Gergely Várhelyi", "email": "gergely.varhelyi@pannon.collab.example"},
        ],
        "plan": {
            "title": "Green Drava: Action Plan for Sustainable Tourism and Local Economy",
            "sections": _PANNON_SECTIONS,
            "adoption": {
                "drafted": {"body": "PANNON EGTC", "date": "2026-01-16",
                            "note": "The endorsing body is still to be confirmed (Baranya County Assembly or the TOP Plusz Managing Authority)."},
            },
        },
    },
    {
        "short_name": "LOMB",
        "name": "Lombardy Region – Directorate-General for Economic Development",
        "country": "IT",
        "organisations": ["Lombardy Region (Regione Lombardia) – Directorate-General for Economic Development"],
        "members": [
            {"name": "Chiara Colombo", "email": "chiara.colombo@lomb.collab.example"},
            {"name": "Niccolò Brambilla", "email": "niccolo.brambilla@lomb.collab.example"},
        ],
        "plan": {
            "title": "Lombardy Open Innovation and Talent Action Plan",
            "sections": _LOMB_SECTIONS,
            "adoption": {
                "drafted": {"body": "Lombardy Region, Directorate-General for Economic Development", "date": "2025-11-10"},
                "sent": {"body": "PR FESR Monitoring Committee", "date": "2025-11-28",
                         "note": "Decree of the Director-General for Economic Development expected by July 2026."},
            },
        },
    },
]


# ---------------------------------------------------------------------------
# General feedback given to all partners after the breakout rooms.
# ---------------------------------------------------------------------------

GENERAL_FEEDBACK: list[dict[str, str]] = [
    {
        "section_key": "executive-summary",
        "criterion": "readability",
        "body": """**Plans must be easy to read for everyone**, also for readers who do not know your region or the policy instrument – especially the executive summary.

- Explain the region and the problem in two or three plain sentences before the actions.
- Spell out every acronym the first time (or avoid it): *FEL*, *RIS3*, *TOP Plusz*, *KEDS*...
- Say in one line per action **what will change**, for whom, and by when.""",
    },
    {
        "section_key": "endorsement",
        "criterion": "adoption",
        "body": """**Formal adoption / approval by the policy-responsible body:** for which plan is it relevant, and by which body?

Please state clearly in the endorsement section:

1. the **body** responsible for the policy instrument;
2. the **form** of the endorsement (resolution, decree, order, letter of support);
3. the **current status** and the **expected date**.

Record each step (drafted, sent to the body, adopted) with its date in the plan's **adoption tracker**, on the plan page, as it happens.

If your organisation does not own the instrument, explain how the owner will be involved.""",
    },
    {
        "section_key": "action-1",
        "criterion": "feasibility",
        "body": """**Operational and feasible actions are needed, including who is doing what.** This applies to every action section, not only action 1.

- Name the organisation (and, where possible, the unit) responsible for each task – a table *who / does what* works well.
- Give concrete milestones, costs and funding sources; avoid "to be defined" wherever you can.
- Keep in mind that **intense monitoring by the Lead Partner is expected in Phase 2**: every action will be followed up semester by semester, so indicators need baselines and targets.""",
    },
    {
        "section_key": "endorsement",
        "criterion": "completeness",
        "body": """**Finalisation is still ahead: elaboration is a long process.** The versions discussed today are drafts.

Use the feedback from your room to produce a new version, check that every section of the template is complete (background, action, players, timeframe, costs, funding, monitoring, endorsement) and plan enough time for internal consultation and formal approval before the deadline.""",
    },
    {
        "section_key": "executive-summary",
        "criterion": "design",
        "body": """**The final version has to be designed:** photos, maps and a clear, attractive layout.

The Action Plan is also a communication tool for politicians, stakeholders and citizens. Add photos of the places and people concerned, a map of the region, one visual summary of the actions, and keep the text short with headings and tables.""",
    },
]
