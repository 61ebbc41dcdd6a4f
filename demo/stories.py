"""Demo content written for Newsroom.

Everything here is fiction set in an invented coastal region (Port Calder, the
Calder Strait, the province of Northmere) so that no demo story can be
mistaken for real reporting. Cited outlets are invented too, and their links
point at example.org domains reserved for documentation.
"""

SECTIONS = [
    ("World", "world", "Reporting from the region and beyond."),
    ("Politics", "politics", "Councils, parliaments and the people who run them."),
    ("Business", "business", "Ports, markets, work and money."),
    ("Technology", "technology", "How tools and networks change daily life."),
    ("Science", "science", "Research, climate and the natural world."),
    ("Culture", "culture", "Books, music, film and the life of the city."),
]

AUTHORS = [
    {
        "slug": "ines-okafor",
        "name": "Ines Okafor",
        "job_title": "Port Calder correspondent",
        "bio": "Ines Okafor covers the Calder Strait and its ports. She previously reported "
        "on fisheries and coastal communities for a decade.",
    },
    {
        "slug": "tomasz-brennan",
        "name": "Tomasz Brennan",
        "job_title": "Politics editor",
        "bio": "Tomasz Brennan writes about the provincial assembly and city hall, and "
        "edits the politics desk.",
    },
    {
        "slug": "hana-sato",
        "name": "Hana Sato",
        "job_title": "Technology reporter",
        "bio": "Hana Sato reports on networks, software and the people who build and repair them.",
    },
    {
        "slug": "felipe-arce",
        "name": "Felipe Arce",
        "job_title": "Science writer",
        "bio": "Felipe Arce writes about climate, oceans and research institutions.",
    },
    {
        "slug": "northmere-wire",
        "name": "Northmere Wire",
        "job_title": "News agency",
        "bio": "Agency copy from the Northmere Wire service, edited by our desk.",
    },
]

# Each photo is drawn by the seed command; `scene` picks the palette and shapes.
PHOTOS = {
    "harbour-cranes": {
        "scene": "harbour",
        "title": "Container cranes at Port Calder at dawn",
        "caption": "Container cranes stand idle at the North Quay terminal of Port Calder at "
        "dawn on the second day of the dockworkers' stoppage. The terminal, which handles "
        "roughly a third of the region's container traffic, was quiet except for security "
        "patrols; about forty vessels were reported waiting at anchor in the outer roads, "
        "some of them carrying refrigerated cargo that port officials said could not wait "
        "more than a few days. Union representatives and the port authority were due to "
        "meet again later in the morning at the harbour master's office on Quay Street.",
        "credit": "Mara Lindqvist/Northmere Wire",
        "photographer": "Mara Lindqvist",
        "copyright": "© 2026 Northmere Wire",
        "alt": "Four tall container cranes silhouetted against an orange sky above still water.",
    },
    "assembly-hall": {
        "scene": "city",
        "title": "Northmere provincial assembly building",
        "caption": "The provincial assembly building in Northmere's old town, where members "
        "debated the coastal housing bill late into the evening.",
        "credit": "Jonas Feld/The Newsroom",
        "photographer": "Jonas Feld",
        "copyright": "© 2026 The Newsroom",
        "alt": "A row of lit stone buildings under a dusky blue sky.",
    },
    "tidal-array": {
        "scene": "sea",
        "title": "Tidal turbine test site in the Calder Strait",
        "caption": "Marker buoys show the position of the test turbines in the Calder "
        "Strait, where researchers have been measuring current speeds since spring. The "
        "array sits in about thirty metres of water, two kilometres off the lighthouse at "
        "Gull Point.",
        "credit": "Felipe Arce/The Newsroom",
        "photographer": "Felipe Arce",
        "copyright": "© 2026 The Newsroom",
        "alt": "Open grey-green sea under a pale sky, with a low headland on the horizon.",
    },
    "night-market": {
        "scene": "festival",
        "title": "Night market on Lantern Row",
        "caption": "Stalls line Lantern Row on the opening night of the winter market, which "
        "organisers say drew its largest crowd since the street was pedestrianised.",
        "credit": "Priya Demir for The Newsroom",
        "photographer": "Priya Demir",
        "copyright": "© 2026 Priya Demir",
        "alt": "Strings of warm lights over a crowded street at night.",
    },
    "server-hall": {
        "scene": "tech",
        "title": "Municipal data centre, Harbour District",
        "caption": "Racks in the municipal data centre in the Harbour District, which runs "
        "the city's permit, library and transit systems.",
        "credit": "Hana Sato/The Newsroom",
        "photographer": "Hana Sato",
        "copyright": "© 2026 The Newsroom",
        "alt": "Rows of server cabinets with small blue and green status lights.",
    },
    "forest-survey": {
        "scene": "forest",
        "title": "Survey plot in the Ashgrove uplands",
        "caption": "A survey plot in the Ashgrove uplands, one of 120 plots where volunteers "
        "count seedlings each autumn.",
        "credit": "Northmere University",
        "photographer": "",
        "copyright": "© 2026 Northmere University",
        "alt": "Young trees on a green hillside under a cloudy sky.",
    },
}

STORIES = [
    {
        "slug": "port-calder-dockworkers-stoppage-enters-second-day",
        "section": "business",
        "kicker": "Ports",
        "headline": "Port Calder stoppage enters second day as ships queue in the strait",
        "standfirst": "Dockworkers and the port authority return to talks over night-shift "
        "staffing, with about forty vessels waiting at anchor.",
        "dateline": "PORT CALDER",
        "authors": ["ines-okafor", "northmere-wire"],
        "tags": ["Port Calder", "Labour"],
        "photo": "harbour-cranes",
        "featured": True,
        "hours_ago": 3,
        "body": [
            "<p>Cranes at Port Calder's North Quay stood still for a second day on Tuesday "
            "as dockworkers kept up a stoppage over night-shift staffing, and the queue of "
            "ships waiting in the Calder Strait grew to about forty.</p>",
            "<p>The union representing crane operators and lashers says the port authority "
            "has cut night crews from six people to four on some berths, which it says is "
            "unsafe in winter weather. The authority says the change applies only to "
            "berths with newer, remotely monitored equipment.</p>",
            "<h2>Refrigerated cargo</h2>",
            "<p>Importers of fresh produce are the most exposed. The regional chamber of "
            "commerce said several of the waiting vessels carried refrigerated containers "
            "and that their operators would start diverting to other ports by the end of "
            "the week.</p>",
            "<blockquote><p>Nobody on the quay wants the cranes stopped. We want the same "
            "number of eyes on a lift at three in the morning as at three in the "
            "afternoon.</p></blockquote>",
            "<p>Talks were due to resume at the harbour master's office on Wednesday "
            "morning. Neither side would say whether a mediator had been approached.</p>",
        ],
        "citations": [
            {
                "outlet": "Calder Courier",
                "title": "Night crews cut on three North Quay berths, union says",
                "url": "https://calder-courier.example.org/ports/night-crews-cut",
                "days_ago": 5,
                "quote": "Crews on berths 4, 5 and 7 were reduced from six to four from "
                "the start of the month.",
                "claim": "Night crews were cut from six people to four on some berths.",
            },
            {
                "outlet": "Meridian Business Review",
                "title": "Importers weigh diversions as Calder queue lengthens",
                "url": "https://meridian-review.example.com/markets/calder-queue",
                "days_ago": 1,
                "archive": "https://archive.example.net/meridian-review/calder-queue",
                "claim": "Refrigerated cargo operators plan to divert by the end of the week.",
            },
        ],
        "corrections": [
            {
                "kind": "correction",
                "text": "An earlier version of this story said talks would resume on "
                "Thursday. They are due to resume on Wednesday.",
                "hours_ago": 1,
            }
        ],
    },
    {
        "slug": "assembly-passes-coastal-housing-bill",
        "section": "politics",
        "kicker": "",
        "headline": "Northmere assembly passes coastal housing bill after late-night vote",
        "standfirst": "The bill lets towns on the strait convert empty harbour warehouses "
        "into homes, but opponents say it does too little about rents.",
        "dateline": "NORTHMERE",
        "authors": ["tomasz-brennan"],
        "tags": ["Housing", "Northmere assembly"],
        "photo": "assembly-hall",
        "hours_ago": 20,
        "body": [
            "<p>The Northmere provincial assembly passed the coastal housing bill by 41 "
            "votes to 33 shortly before midnight on Monday, after an eleven-hour debate "
            "in which more than sixty amendments were tabled.</p>",
            "<p>The law lets harbour towns rezone disused warehouses for housing without "
            "a separate provincial review, a process that currently takes about two "
            "years. Supporters say it could add several thousand homes within a "
            "decade.</p>",
            "<p>Opposition members argued that the bill contains no protection for "
            "existing tenants and that converted warehouses would be let at prices local "
            "workers cannot pay. An amendment capping first-year rents on converted "
            "buildings was defeated by four votes.</p>",
            "<p>The bill now goes to the provincial governor, who has thirty days to sign "
            "it or return it to the assembly.</p>",
        ],
        "citations": [
            {
                "outlet": "Northmere Gazette",
                "title": "What the coastal housing bill would change, clause by clause",
                "url": "https://northmere-gazette.example.org/politics/housing-bill-explainer",
                "days_ago": 3,
                "claim": "Rezoning currently requires a provincial review of about two years.",
            }
        ],
    },
    {
        "slug": "tidal-turbines-meet-first-year-targets",
        "section": "science",
        "kicker": "Energy",
        "headline": "Tidal turbines in the Calder Strait meet their first-year targets",
        "standfirst": "Researchers say the test array produced slightly more power than "
        "forecast, and that seals and porpoises avoided the turbines.",
        "dateline": "GULL POINT",
        "authors": ["felipe-arce"],
        "tags": ["Energy", "Calder Strait"],
        "photo": "tidal-array",
        "hours_ago": 30,
        "body": [
            "<p>Three test turbines anchored off Gull Point generated about four percent "
            "more electricity in their first year than the project's engineers had "
            "forecast, according to results presented at Northmere University on "
            "Friday.</p>",
            "<p>The team also tracked marine mammals with underwater microphones and "
            "cameras. Porpoises and seals were detected near the array on most days but "
            "kept a distance of tens of metres from the rotating blades, the researchers "
            "said.</p>",
            "<p>The results have not yet been peer reviewed. The university plans to "
            "publish the full data set next year, when the turbines will have run through "
            "a second winter of storms.</p>",
        ],
        "citations": [
            {
                "outlet": "Northmere University",
                "title": "Calder tidal array: first-year performance summary",
                "url": "https://northmere-university.example.org/energy/tidal-year-one",
                "days_ago": 2,
                "quote": "Net yield exceeded the P50 forecast by 4.1 percent.",
                "claim": "The array produced about four percent more than forecast.",
            },
            {
                "outlet": "Harbour Radio",
                "title": "Fishermen cautious about tidal expansion",
                "url": "https://harbour-radio.example.net/news/tidal-fishermen",
                "days_ago": 2,
            },
        ],
    },
    {
        "slug": "lantern-row-winter-market-opens",
        "section": "culture",
        "kicker": "",
        "headline": "Lantern Row's winter market opens with record crowds",
        "standfirst": "Organisers counted more visitors on the first night than in any year "
        "since the street closed to traffic.",
        "dateline": "PORT CALDER",
        "authors": ["ines-okafor"],
        "tags": ["Port Calder", "Festivals"],
        "photo": "night-market",
        "hours_ago": 44,
        "body": [
            "<p>The winter market on Lantern Row opened on Saturday evening with more "
            "than ninety stalls, from smoked fish to hand-bound notebooks, and a crowd "
            "that organisers put at over twelve thousand people.</p>",
            "<p>This year's market has a stage for local choirs at the harbour end of "
            "the street and, for the first time, a quiet hour on Sunday mornings with "
            "lights dimmed and music off for visitors who find crowds difficult.</p>",
            "<p>The market runs every evening until the end of the year.</p>",
        ],
        "citations": [],
    },
    {
        "slug": "city-permit-system-outage-explained",
        "section": "technology",
        "kicker": "Analysis",
        "headline": "Why Port Calder's permit system was down for three days",
        "standfirst": "A storage failure in the municipal data centre took out building "
        "permits, library loans and bus passes. The backups worked; the restore plan did "
        "not.",
        "dateline": "PORT CALDER",
        "authors": ["hana-sato"],
        "tags": ["Port Calder", "Public services"],
        "photo": "server-hall",
        "hours_ago": 52,
        "body": [
            "<p>When a storage array in the city's Harbour District data centre failed "
            "last week, the city had recent backups of every system it lost. It still "
            "took three days to bring building permits, library loans and bus pass "
            "renewals back online.</p>",
            "<p>City officials said the backups were intact, but the written plan for "
            "restoring them assumed a second array that had been retired the year before. "
            "Staff had to order and install new hardware before any restore could "
            "begin.</p>",
            "<h2>What changes now</h2>",
            "<p>The city's technology office says it will test a full restore twice a "
            "year and publish the results to the council's audit committee.</p>",
        ],
        "citations": [
            {
                "outlet": "Port Calder City Council",
                "title": "Incident report: municipal storage failure",
                "url": "https://council.example.org/reports/storage-incident",
                "days_ago": 1,
                "claim": "The restore plan assumed a storage array that had been retired.",
            }
        ],
        "corrections": [
            {
                "kind": "clarification",
                "text": "This story has been updated to make clear that no resident data "
                "was lost in the outage.",
                "hours_ago": 40,
            }
        ],
    },
    {
        "slug": "ashgrove-seedling-count-rises",
        "section": "science",
        "kicker": "",
        "headline": "Volunteers count more seedlings in the Ashgrove uplands",
        "standfirst": "The autumn survey found young oak and rowan returning to plots that "
        "were fenced off from grazing five years ago.",
        "dateline": "ASHGROVE",
        "authors": ["felipe-arce"],
        "tags": ["Forests"],
        "photo": "forest-survey",
        "hours_ago": 70,
        "body": [
            "<p>Volunteers counting seedlings across 120 survey plots in the Ashgrove "
            "uplands found the highest numbers since the survey began, with the largest "
            "gains in plots fenced against deer and sheep.</p>",
            "<p>Oak and rowan made up most of the new growth. The organisers caution that "
            "one good year does not make a trend and that a dry summer could reverse "
            "it.</p>",
        ],
        "citations": [
            {
                "outlet": "Ashgrove Uplands Trust",
                "title": "Seedling survey results",
                "url": "https://ashgrove-trust.example.org/survey/results",
                "days_ago": 4,
            }
        ],
    },
    {
        "slug": "ferry-timetable-cut-for-winter",
        "section": "world",
        "kicker": "",
        "headline": "Strait ferry operator cuts winter crossings",
        "standfirst": "Islanders say the reduced timetable leaves no morning sailing on Sundays.",
        "dateline": "PORT CALDER",
        "authors": ["northmere-wire"],
        "tags": ["Calder Strait", "Transport"],
        "hours_ago": 80,
        "body": [
            "<p>The operator of the ferry between Port Calder and the Skerry Islands will "
            "run nine crossings a day this winter instead of twelve, it said on Thursday, "
            "citing fuel costs and a shortage of qualified crew.</p>",
            "<p>Island councillors said the new timetable has no Sunday sailing before "
            "eleven o'clock, which they said would make hospital appointments on the "
            "mainland harder to reach.</p>",
        ],
        "citations": [],
    },
    {
        "slug": "mayor-proposes-bus-fare-freeze",
        "section": "politics",
        "kicker": "",
        "headline": "Mayor proposes freezing bus fares for two years",
        "standfirst": "The plan would be paid for from harbour dues, a move the port "
        "authority says it was not consulted on.",
        "dateline": "PORT CALDER",
        "authors": ["tomasz-brennan"],
        "tags": ["Transport", "Port Calder"],
        "hours_ago": 96,
        "body": [
            "<p>Port Calder's mayor proposed on Wednesday to freeze bus fares until the "
            "end of 2028, paying for it with a share of the dues that ships pay to use "
            "the harbour.</p>",
            "<p>The port authority, which collects the dues, said it learned of the plan "
            "from the mayor's announcement. The council will vote on the proposal in "
            "January.</p>",
        ],
        "citations": [],
    },
    {
        "slug": "fish-auction-moves-online",
        "section": "business",
        "kicker": "",
        "headline": "Port Calder fish auction moves bidding online",
        "standfirst": "Buyers can now bid from anywhere; some skippers worry prices will fall.",
        "dateline": "PORT CALDER",
        "authors": ["ines-okafor"],
        "tags": ["Fishing", "Port Calder"],
        "hours_ago": 120,
        "body": [
            "<p>The morning fish auction on the South Quay switched to online bidding this "
            "week, ending a tradition of buyers crowding the cold hall at five in the "
            "morning.</p>",
            "<p>The auction's managers say remote bidding will bring in restaurants and "
            "wholesalers from further inland. Some skippers fear that buyers who cannot "
            "see and smell the catch will bid lower.</p>",
        ],
        "citations": [],
    },
    {
        "slug": "library-lends-tools",
        "section": "culture",
        "kicker": "",
        "headline": "The central library now lends drills, sewing machines and telescopes",
        "standfirst": "A 'library of things' opens with four hundred items, most of them donated.",
        "dateline": "PORT CALDER",
        "authors": ["hana-sato"],
        "tags": ["Public services"],
        "hours_ago": 150,
        "body": [
            "<p>Library card holders can borrow a cordless drill, a sewing machine or a "
            "small telescope for up to a week from the central library's new lending "
            "room, which opened on Monday.</p>",
            "<p>Librarians said the most requested item on the first day was a carpet cleaner.</p>",
        ],
        "citations": [],
    },
    {
        "slug": "regional-broadband-rollout-delayed",
        "section": "technology",
        "kicker": "",
        "headline": "Fibre rollout to upland villages delayed a year",
        "standfirst": "The contractor blames a shortage of cable-laying crews; villages "
        "keep their copper lines until 2028.",
        "dateline": "ASHGROVE",
        "authors": ["hana-sato", "northmere-wire"],
        "tags": ["Broadband"],
        "hours_ago": 170,
        "body": [
            "<p>Forty upland villages will wait an extra year for fibre broadband after "
            "the province's contractor said it could not find enough crews to lay cable "
            "on mountain roads before the ground freezes.</p>",
            "<p>The province said it would not extend the contract's deadline a second time.</p>",
        ],
        "citations": [
            {
                "outlet": "Northmere Gazette",
                "title": "Broadband contractor asks for more time",
                "url": "https://northmere-gazette.example.org/tech/broadband-delay",
                "days_ago": 8,
            }
        ],
    },
    {
        "slug": "lighthouse-keepers-cottage-museum",
        "section": "world",
        "kicker": "",
        "headline": "Gull Point lighthouse keeper's cottage becomes a museum",
        "standfirst": "The cottage was lived in until the light was automated forty years ago.",
        "dateline": "GULL POINT",
        "authors": ["felipe-arce"],
        "tags": ["Calder Strait"],
        "hours_ago": 200,
        "body": [
            "<p>The cottage beside the Gull Point lighthouse, home to keepers and their "
            "families for more than a century, opened as a small museum on Saturday.</p>",
            "<p>Its rooms show the logbooks, lamps and oilskins the last keepers left "
            "behind when the light was automated.</p>",
        ],
        "citations": [],
    },
]
