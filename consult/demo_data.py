"""The demo deployment's content: a fictional State's plan, written for the demo."""

STATE_NAME = {
    "en": "Republic of Veridia",
    "fr": "République de Veridia",
    "es": "República de Veridia",
    "ru": "Республика Веридия",
    "ar": "جمهورية فيريديا",
    "zh": "维里迪亚共和国",
}

ORGANISATIONS = [
    {
        "name": "Veridia Human Rights Commission",
        "acronym": "VHRC",
        "type": "nhri",
        "website": "https://vhrc.example.org",
    },
    {
        "name": "Veridian Women's Rights Coalition",
        "acronym": "VWRC",
        "type": "ngo",
        "website": "https://vwrc.example.org",
    },
    {
        "name": "Children First Veridia",
        "acronym": "CFV",
        "type": "ngo",
        "website": "https://childrenfirst.example.org",
    },
    {
        "name": "Veridia Disability Rights Forum",
        "acronym": "VDRF",
        "type": "ngo",
        "website": "https://vdrf.example.org",
    },
    {
        "name": "Legal Aid and Defenders Network",
        "acronym": "LADN",
        "type": "ngo",
        "website": "https://ladn.example.org",
    },
    {
        "name": "Human Rights Committee of the National Assembly",
        "acronym": "HRC-NA",
        "type": "parliament",
        "website": "https://assembly.example.org/human-rights-committee",
    },
    {
        "name": "Centre for Human Rights, University of Veridia",
        "acronym": "CHR-UV",
        "type": "academia",
        "website": "https://chr.univ-veridia.example.org",
    },
    {
        "name": "Secretariat of the National Mechanism for Reporting and Follow-up",
        "acronym": "NMRF",
        "type": "government",
        "website": "https://nmrf.gov-veridia.example.org",
    },
]

CLUSTERS = [
    {
        "code": "C1",
        "title": {
            "en": "National human rights framework and the NHRI",
            "fr": "Cadre national des droits de l'homme et INDH",
            "es": "Marco nacional de derechos humanos e INDH",
            "ru": "Национальная система защиты прав человека и НПУ",
            "ar": "الإطار الوطني لحقوق الإنسان والمؤسسة الوطنية لحقوق الإنسان",
            "zh": "国家人权框架和国家人权机构",
        },
        "description": {
            "en": (
                "Ratification of international instruments, the independence and resources of the "
                "Veridia Human Rights Commission, and the national mechanism for reporting and "
                "follow-up that coordinates implementation."
            ),
            "fr": (
                "Ratification des instruments internationaux, indépendance et ressources de la "
                "Commission des droits de l'homme de Veridia, et mécanisme national d'établissement "
                "des rapports et de suivi qui coordonne la mise en œuvre."
            ),
            "es": (
                "Ratificación de instrumentos internacionales, independencia y recursos de la Comisión "
                "de Derechos Humanos de Veridia, y mecanismo nacional de presentación de informes y "
                "seguimiento que coordina la aplicación."
            ),
            "ru": (
                "Ратификация международных договоров, независимость и ресурсы Комиссии по правам "
                "человека Веридии, а также национальный механизм по представлению докладов и "
                "последующей деятельности, координирующий осуществление."
            ),
            "ar": (
                "التصديق على الصكوك الدولية، واستقلال لجنة حقوق الإنسان في فيريديا ومواردها، "
                "والآلية الوطنية لتقديم التقارير والمتابعة التي تنسّق التنفيذ."
            ),
            "zh": "批准国际文书、维里迪亚人权委员会的独立性和资源，以及协调落实工作的国家报告和后续行动机制。",
        },
    },
    {
        "code": "C2",
        "title": {
            "en": "Equality, non-discrimination and gender equality",
            "fr": "Égalité, non-discrimination et égalité des sexes",
            "es": "Igualdad, no discriminación e igualdad de género",
            "ru": "Равенство, недискриминация и гендерное равенство",
            "ar": "المساواة وعدم التمييز والمساواة بين الجنسين",
            "zh": "平等、不歧视和性别平等",
        },
        "description": {
            "en": (
                "Comprehensive anti-discrimination legislation, hate speech, the gender pay gap, "
                "women's participation in public life and the prevention of gender-based violence "
                "against women."
            ),
            "fr": (
                "Législation complète contre la discrimination, discours de haine, écart de "
                "rémunération entre les femmes et les hommes, participation des femmes à la vie "
                "publique et prévention de la violence fondée sur le genre à l'égard des femmes."
            ),
            "es": (
                "Legislación integral contra la discriminación, discurso de odio, brecha salarial de "
                "género, participación de las mujeres en la vida pública y prevención de la violencia "
                "por razón de género contra las mujeres."
            ),
            "ru": (
                "Всеобъемлющее антидискриминационное законодательство, высказывания, разжигающие "
                "ненависть, гендерный разрыв в оплате труда, участие женщин в общественной жизни и "
                "предупреждение гендерного насилия в отношении женщин."
            ),
            "ar": (
                "تشريع شامل لمكافحة التمييز، وخطاب الكراهية، والفجوة في الأجور بين الجنسين، "
                "ومشاركة المرأة في الحياة العامة، ومنع العنف الجنساني ضد المرأة."
            ),
            "zh": "全面反歧视立法、仇恨言论、性别薪酬差距、妇女参与公共生活以及预防对妇女的基于性别的暴力。",
        },
    },
    {
        "code": "C3",
        "title": {
            "en": "Rights of the child",
            "fr": "Droits de l'enfant",
            "es": "Derechos del niño",
            "ru": "Права ребенка",
            "ar": "حقوق الطفل",
            "zh": "儿童权利",
        },
        "description": {
            "en": (
                "Violence against children, including corporal punishment and online sexual "
                "exploitation, child marriage, birth registration and data on children."
            ),
            "fr": (
                "Violence à l'égard des enfants, y compris les châtiments corporels et l'exploitation "
                "sexuelle en ligne, mariage d'enfants, enregistrement des naissances et données "
                "relatives aux enfants."
            ),
            "es": (
                "Violencia contra los niños, incluidos los castigos corporales y la explotación sexual "
                "en línea, matrimonio infantil, inscripción de los nacimientos y datos sobre la "
                "infancia."
            ),
            "ru": (
                "Насилие в отношении детей, включая телесные наказания и сексуальную эксплуатацию в "
                "Интернете, детские браки, регистрация рождений и данные о детях."
            ),
            "ar": (
                "العنف ضد الأطفال، بما في ذلك العقوبة البدنية والاستغلال الجنسي عبر الإنترنت، "
                "وزواج الأطفال، وتسجيل المواليد، والبيانات المتعلقة بالأطفال."
            ),
            "zh": "暴力侵害儿童行为，包括体罚和网上性剥削、童婚、出生登记和儿童相关数据。",
        },
    },
    {
        "code": "C4",
        "title": {
            "en": "Justice, prevention of torture and detention",
            "fr": "Justice, prévention de la torture et détention",
            "es": "Justicia, prevención de la tortura y privación de libertad",
            "ru": "Правосудие, предупреждение пыток и содержание под стражей",
            "ar": "العدالة ومنع التعذيب والاحتجاز",
            "zh": "司法、防止酷刑和拘留",
        },
        "description": {
            "en": (
                "The definition of torture, a national preventive mechanism, prison overcrowding, "
                "pretrial detention, child justice, trafficking in persons and accountability for "
                "police misconduct."
            ),
            "fr": (
                "Définition de la torture, mécanisme national de prévention, surpopulation carcérale, "
                "détention provisoire, justice pour enfants, traite des personnes et responsabilité en "
                "cas de faute policière."
            ),
            "es": (
                "Definición de la tortura, mecanismo nacional de prevención, hacinamiento "
                "penitenciario, prisión preventiva, justicia juvenil, trata de personas y rendición de "
                "cuentas por la conducta policial indebida."
            ),
            "ru": (
                "Определение пытки, национальный превентивный механизм, переполненность тюрем, "
                "досудебное содержание под стражей, правосудие в отношении детей, торговля людьми и "
                "ответственность за неправомерные действия полиции."
            ),
            "ar": (
                "تعريف التعذيب، والآلية الوقائية الوطنية، واكتظاظ السجون، والاحتجاز السابق "
                "للمحاكمة، وقضاء الأطفال، والاتجار بالأشخاص، والمساءلة عن سوء سلوك الشرطة."
            ),
            "zh": "酷刑的定义、国家防范机制、监狱过度拥挤、审前羁押、儿童司法、贩运人口以及警察不当行为的问责。",
        },
    },
    {
        "code": "C5",
        "title": {
            "en": "Civic space and human rights defenders",
            "fr": "Espace civique et défenseurs des droits de l'homme",
            "es": "Espacio cívico y defensores de los derechos humanos",
            "ru": "Гражданское пространство и правозащитники",
            "ar": "الحيز المدني والمدافعون عن حقوق الإنسان",
            "zh": "公民空间和人权维护者",
        },
        "description": {
            "en": (
                "Protection of human rights defenders and journalists, the registration of "
                "associations, defamation laws and the prevention of reprisals against those who "
                "cooperate with the United Nations."
            ),
            "fr": (
                "Protection des défenseurs des droits de l'homme et des journalistes, enregistrement "
                "des associations, lois sur la diffamation et prévention des représailles contre les "
                "personnes qui coopèrent avec l'Organisation des Nations Unies."
            ),
            "es": (
                "Protección de los defensores de los derechos humanos y los periodistas, inscripción "
                "de las asociaciones, leyes sobre difamación y prevención de las represalias contra "
                "quienes cooperan con las Naciones Unidas."
            ),
            "ru": (
                "Защита правозащитников и журналистов, регистрация объединений, законы о диффамации и "
                "предупреждение репрессий в отношении лиц, сотрудничающих с Организацией Объединенных "
                "Наций."
            ),
            "ar": (
                "حماية المدافعين عن حقوق الإنسان والصحفيين، وتسجيل الجمعيات، وقوانين التشهير، "
                "ومنع الأعمال الانتقامية ضد من يتعاونون مع الأمم المتحدة."
            ),
            "zh": "保护人权维护者和记者、社团登记、诽谤法以及防止对与联合国合作者的报复。",
        },
    },
    {
        "code": "C6",
        "title": {
            "en": "Economic, social and cultural rights",
            "fr": "Droits économiques, sociaux et culturels",
            "es": "Derechos económicos, sociales y culturales",
            "ru": "Экономические, социальные и культурные права",
            "ar": "الحقوق الاقتصادية والاجتماعية والثقافية",
            "zh": "经济、社会及文化权利",
        },
        "description": {
            "en": (
                "Poverty reduction and social protection, access to health care in rural areas, "
                "inclusive education and a rights-based response to climate change."
            ),
            "fr": (
                "Réduction de la pauvreté et protection sociale, accès aux soins de santé dans les "
                "zones rurales, éducation inclusive et réponse aux changements climatiques fondée sur "
                "les droits."
            ),
            "es": (
                "Reducción de la pobreza y protección social, acceso a la atención de la salud en las "
                "zonas rurales, educación inclusiva y respuesta al cambio climático basada en los "
                "derechos."
            ),
            "ru": (
                "Сокращение масштабов нищеты и социальная защита, доступ к медицинской помощи в "
                "сельских районах, инклюзивное образование и правозащитный подход к изменению климата."
            ),
            "ar": (
                "الحد من الفقر والحماية الاجتماعية، والحصول على الرعاية الصحية في المناطق الريفية، "
                "والتعليم الشامل للجميع، والتصدي لتغير المناخ على أساس حقوق الإنسان."
            ),
            "zh": "减贫和社会保护、农村地区获得医疗保健的机会、全纳教育以及基于权利的气候变化应对措施。",
        },
    },
]

RECOMMENDATIONS = [
    # --- Universal Periodic Review, third cycle (A/HRC/50/12) --------------------------------------
    {
        "key": "upr3-121.1",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.1",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "noted",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Portugal", "Uruguay"],
        "text": {
            "en": (
                "Ratify the Optional Protocol to the International Covenant on Economic, Social and "
                "Cultural Rights."
            ),
        },
        "themes": ["International instruments"],
        "affected_groups": [],
        "sdgs": ["16.a"],
        "cluster": "C1",
        "status": "not_started",
    },
    {
        "key": "upr3-121.3",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.3",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "noted",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Senegal", "Philippines", "Mexico"],
        "text": {
            "en": (
                "Consider ratifying the International Convention on the Protection of the Rights of "
                "All Migrant Workers and Members of Their Families."
            ),
        },
        "themes": ["International instruments"],
        "affected_groups": ["Migrants"],
        "sdgs": ["10.7", "8.8"],
        "cluster": "C1",
        "status": "no_information",
    },
    {
        "key": "upr3-121.8",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.8",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Greece", "Tunisia"],
        "text": {
            "en": (
                "Take the necessary measures to bring the Veridia Human Rights Commission into full "
                "compliance with the principles relating to the status of national institutions for "
                "the promotion and protection of human rights (the Paris Principles), with a view to "
                "its accreditation with A status."
            ),
            "fr": (
                "Prendre les mesures nécessaires pour rendre la Commission des droits de l'homme de "
                "Veridia pleinement conforme aux principes concernant le statut des institutions "
                "nationales pour la promotion et la protection des droits de l'homme (Principes de "
                "Paris), en vue de son accréditation avec le statut A."
            ),
        },
        "themes": ["National human rights framework"],
        "affected_groups": [],
        "sdgs": ["16.a"],
        "cluster": "C1",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.10",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.10",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Australia", "Morocco"],
        "text": {
            "en": (
                "Provide the Veridia Human Rights Commission with adequate financial and human "
                "resources to enable it to discharge its mandate effectively and independently."
            ),
        },
        "themes": ["National human rights framework"],
        "affected_groups": [],
        "sdgs": ["16.a", "16.6"],
        "cluster": "C1",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.13",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.13",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Paraguay", "Portugal", "Chile"],
        "text": {
            "en": (
                "Establish a standing national mechanism for reporting and follow-up, with adequate "
                "resources and the participation of civil society, to coordinate the implementation "
                "of recommendations from the human rights mechanisms."
            ),
            "es": (
                "Establecer un mecanismo nacional permanente de presentación de informes y "
                "seguimiento, dotado de recursos suficientes y con la participación de la sociedad "
                "civil, para coordinar la aplicación de las recomendaciones de los mecanismos de "
                "derechos humanos."
            ),
        },
        "themes": ["National human rights framework"],
        "affected_groups": [],
        "sdgs": ["16.a", "16.7"],
        "cluster": "C1",
        "status": "implemented",
    },
    {
        "key": "upr3-121.15",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.15",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Indonesia", "Nepal"],
        "text": {
            "en": (
                "Adopt a new national human rights action plan, in consultation with civil society, "
                "and ensure that it incorporates the recommendations accepted during the universal "
                "periodic review."
            ),
        },
        "themes": ["National human rights framework"],
        "affected_groups": [],
        "sdgs": ["16.7"],
        "cluster": "C1",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.31",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.31",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Brazil", "Canada", "Iceland"],
        "text": {
            "en": (
                "Adopt comprehensive anti-discrimination legislation that prohibits direct and "
                "indirect discrimination on all grounds, including sex, disability, ethnic origin, "
                "sexual orientation and gender identity, and provides effective remedies for victims."
            ),
            "fr": (
                "Adopter une législation complète contre la discrimination qui interdise la "
                "discrimination directe et indirecte fondée sur tout motif, notamment le sexe, le "
                "handicap, l'origine ethnique, l'orientation sexuelle et l'identité de genre, et qui "
                "offre des recours utiles aux victimes."
            ),
        },
        "themes": ["Equality and non-discrimination"],
        "affected_groups": ["LGBTI persons", "Persons with disabilities"],
        "sdgs": ["10.3", "16.b"],
        "cluster": "C2",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.35",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.35",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["South Africa", "Germany"],
        "text": {
            "en": (
                "Intensify efforts to combat hate speech, including online, and ensure that hate "
                "crimes are effectively investigated, prosecuted and punished."
            ),
        },
        "themes": ["Equality and non-discrimination"],
        "affected_groups": ["Migrants"],
        "sdgs": ["16.b", "10.2"],
        "cluster": "C2",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.42",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.42",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Iceland", "Sweden", "Ecuador"],
        "text": {
            "en": (
                "Take concrete measures to close the gender pay gap, including by introducing pay "
                "transparency obligations for employers and strengthening labour inspections."
            ),
            "es": (
                "Adoptar medidas concretas para cerrar la brecha salarial de género, entre otras cosas "
                "introduciendo obligaciones de transparencia salarial para los empleadores y "
                "reforzando la inspección de trabajo."
            ),
        },
        "themes": ["Gender equality"],
        "affected_groups": ["Women and girls"],
        "sdgs": ["8.5", "5.1"],
        "cluster": "C2",
        "status": "partially_implemented",
    },
    {
        "key": "upr3-121.48",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.48",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Spain", "Rwanda"],
        "text": {
            "en": (
                "Strengthen measures to prevent and combat violence against women, including "
                "domestic violence, by ensuring sufficient shelters, a round-the-clock helpline and "
                "the effective prosecution of perpetrators."
            ),
        },
        "themes": ["Gender-based violence"],
        "affected_groups": ["Women and girls"],
        "sdgs": ["5.2"],
        "cluster": "C2",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.52",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.52",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "noted",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Netherlands", "Argentina"],
        "text": {
            "en": (
                "Provide legal recognition to same-sex couples and ensure that they enjoy the same "
                "rights and benefits as different-sex couples."
            ),
        },
        "themes": ["Equality and non-discrimination"],
        "affected_groups": ["LGBTI persons"],
        "sdgs": ["10.3", "16.b"],
        "cluster": "C2",
        "status": "not_started",
    },
    {
        "key": "upr3-121.60",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.60",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "partially_supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Estonia", "Sweden", "Mongolia"],
        "text": {
            "en": (
                "Explicitly prohibit corporal punishment of children in all settings, including in "
                "the home, and promote positive, non-violent forms of discipline."
            ),
            "fr": (
                "Interdire expressément les châtiments corporels infligés aux enfants dans tous les "
                "contextes, y compris au sein de la famille, et promouvoir des formes de discipline "
                "positives et non violentes."
            ),
        },
        "themes": ["Rights of the child"],
        "affected_groups": ["Children"],
        "sdgs": ["16.2"],
        "cluster": "C3",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.63",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.63",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "partially_supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Sierra Leone", "Panama", "Belgium"],
        "text": {
            "en": "Raise the minimum age of marriage to 18 years for both girls and boys, without exception.",
        },
        "themes": ["Rights of the child", "Gender equality"],
        "affected_groups": ["Children", "Women and girls"],
        "sdgs": ["5.3"],
        "cluster": "C3",
        "status": "partially_implemented",
    },
    {
        "key": "upr3-121.66",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.66",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Kenya", "Zambia"],
        "text": {
            "en": (
                "Ensure free and universal birth registration, including for children born in rural "
                "and remote areas and children of migrants."
            ),
        },
        "themes": ["Rights of the child"],
        "affected_groups": ["Children", "Migrants"],
        "sdgs": ["16.9"],
        "cluster": "C3",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.70",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.70",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Philippines", "Maldives"],
        "text": {
            "en": (
                "Strengthen the legal and institutional framework to prevent and combat the sexual "
                "exploitation and abuse of children, including online."
            ),
        },
        "themes": ["Rights of the child"],
        "affected_groups": ["Children"],
        "sdgs": ["16.2"],
        "cluster": "C3",
        "status": "no_information",
    },
    {
        "key": "upr3-121.80",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.80",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Denmark", "Czechia", "Costa Rica"],
        "text": {
            "en": (
                "Ratify the Optional Protocol to the Convention against Torture and designate an "
                "independent and adequately resourced national preventive mechanism."
            ),
            "fr": (
                "Ratifier le Protocole facultatif se rapportant à la Convention contre la torture et "
                "désigner un mécanisme national de prévention indépendant et doté de ressources "
                "suffisantes."
            ),
        },
        "themes": ["Prevention of torture", "International instruments"],
        "affected_groups": ["Persons deprived of liberty"],
        "sdgs": ["16.3", "16.a"],
        "cluster": "C4",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.84",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.84",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Italy", "Holy See"],
        "text": {
            "en": (
                "Continue efforts to reduce overcrowding in prisons and improve conditions of "
                "detention, in line with the United Nations Standard Minimum Rules for the Treatment "
                "of Prisoners (the Nelson Mandela Rules)."
            ),
        },
        "themes": ["Administration of justice and detention"],
        "affected_groups": ["Persons deprived of liberty"],
        "sdgs": ["16.3"],
        "cluster": "C4",
        "status": "partially_implemented",
    },
    {
        "key": "upr3-121.87",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.87",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Switzerland"],
        "text": {
            "en": (
                "Reduce the excessive use of pretrial detention by promoting non-custodial measures "
                "and ensuring prompt judicial review of its lawfulness."
            ),
        },
        "themes": ["Administration of justice and detention"],
        "affected_groups": ["Persons deprived of liberty"],
        "sdgs": ["16.3"],
        "cluster": "C4",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.90",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.90",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Ghana", "Greece"],
        "text": {
            "en": (
                "Amend the Criminal Code to include a definition of torture that is fully in line "
                "with article 1 of the Convention against Torture, and ensure that penalties are "
                "commensurate with the gravity of the crime."
            ),
        },
        "themes": ["Prevention of torture"],
        "affected_groups": [],
        "sdgs": ["16.3"],
        "cluster": "C4",
        "status": "implemented",
    },
    {
        "key": "upr3-121.93",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.93",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "noted",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["United States of America", "Austria"],
        "text": {
            "en": (
                "Establish a fully independent body with the power to investigate all allegations of "
                "excessive use of force and ill-treatment by law enforcement officials."
            ),
        },
        "themes": ["Prevention of torture", "Administration of justice and detention"],
        "affected_groups": ["Persons deprived of liberty"],
        "sdgs": ["16.3", "16.6"],
        "cluster": "C4",
        "status": "not_started",
    },
    {
        "key": "upr3-121.101",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.101",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Norway", "Ireland", "Lithuania", "Uruguay"],
        "text": {
            "en": (
                "Adopt a law on the protection of human rights defenders and journalists and "
                "establish an effective protection mechanism, developed in consultation with civil "
                "society."
            ),
        },
        "themes": ["Civic space and human rights defenders"],
        "affected_groups": ["Human rights defenders"],
        "sdgs": ["16.10"],
        "cluster": "C5",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.104",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.104",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "noted",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["United Kingdom of Great Britain and Northern Ireland", "Canada"],
        "text": {
            "en": (
                "Review the Law on Non-Profit Associations to remove undue registration and reporting "
                "requirements that restrict the work of civil society organizations."
            ),
        },
        "themes": ["Civic space and human rights defenders"],
        "affected_groups": ["Human rights defenders"],
        "sdgs": ["16.10", "16.7"],
        "cluster": "C5",
        "status": "not_started",
    },
    {
        "key": "upr3-121.107",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.107",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "noted",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Estonia", "Latvia"],
        "text": {
            "en": (
                "Decriminalize defamation and bring it within the scope of civil law, in line with "
                "international standards on freedom of expression."
            ),
        },
        "themes": ["Civic space and human rights defenders"],
        "affected_groups": [],
        "sdgs": ["16.10"],
        "cluster": "C5",
        "status": "not_started",
    },
    {
        "key": "upr3-121.110",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.110",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Ghana", "Liechtenstein"],
        "text": {
            "en": (
                "Take all measures necessary to prevent and investigate acts of intimidation and "
                "reprisals against persons and groups who cooperate or seek to cooperate with the "
                "United Nations and its human rights mechanisms."
            ),
        },
        "themes": ["Civic space and human rights defenders"],
        "affected_groups": ["Human rights defenders"],
        "sdgs": ["16.10"],
        "cluster": "C5",
        "status": "implemented",
    },
    {
        "key": "upr3-121.130",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.130",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["China", "Viet Nam", "Bangladesh"],
        "text": {
            "en": (
                "Continue to strengthen social protection programmes with a view to reducing poverty, "
                "paying particular attention to households with children and persons working in the "
                "informal economy."
            ),
        },
        "themes": ["Poverty and social protection"],
        "affected_groups": ["Persons living in poverty", "Children"],
        "sdgs": ["1.3", "1.2"],
        "cluster": "C6",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.138",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.138",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Cuba", "Thailand", "Botswana"],
        "text": {
            "en": (
                "Improve access to quality health-care services in rural areas, with a particular "
                "focus on maternal health and on reducing maternal and infant mortality."
            ),
        },
        "themes": ["Right to health"],
        "affected_groups": ["Persons living in rural areas", "Women and girls"],
        "sdgs": ["3.1", "3.8"],
        "cluster": "C6",
        "status": "partially_implemented",
    },
    {
        "key": "upr3-121.145",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.145",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Qatar", "Bulgaria"],
        "text": {
            "en": (
                "Guarantee the right to inclusive education for children with disabilities by "
                "providing reasonable accommodation in mainstream schools and training teachers "
                "accordingly."
            ),
        },
        "themes": ["Right to education"],
        "affected_groups": ["Persons with disabilities", "Children"],
        "sdgs": ["4.5", "4.a"],
        "cluster": "C6",
        "status": "in_progress",
    },
    {
        "key": "upr3-121.152",
        "mechanism": "upr",
        "body": "UPR",
        "symbol": "A/HRC/50/12",
        "paragraph": "121.152",
        "cycle": 3,
        "session": "40",
        "issued_on": "2022-04-11",
        "position": "supported",
        "position_source": "A/HRC/50/12/Add.1",
        "recommending_states": ["Fiji", "Vanuatu", "Marshall Islands"],
        "text": {
            "en": (
                "Adopt a national climate change adaptation plan that integrates a human rights-based "
                "approach and ensures the meaningful participation of affected communities, including "
                "women and persons with disabilities."
            ),
        },
        "themes": ["Climate change"],
        "affected_groups": ["Persons living in rural areas"],
        "sdgs": ["13.1", "13.2"],
        "cluster": "C6",
        "status": "not_started",
    },
    # --- Committee on the Elimination of Discrimination against Women (CEDAW/C/VRD/CO/8) -----------
    {
        "key": "cedaw-co8-12a",
        "mechanism": "treaty_body",
        "body": "CEDAW",
        "symbol": "CEDAW/C/VRD/CO/8",
        "paragraph": "12 (a)",
        "cycle": None,
        "session": "82",
        "issued_on": "2022-07-01",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party adopt a comprehensive definition of "
                "discrimination against women in line with article 1 of the Convention, covering "
                "direct and indirect discrimination in the public and private spheres, as well as "
                "intersecting forms of discrimination."
            ),
            "fr": (
                "Le Comité recommande à l'État partie d'adopter une définition complète de la "
                "discrimination à l'égard des femmes conforme à l'article premier de la Convention, "
                "qui couvre la discrimination directe et indirecte dans les sphères publique et "
                "privée, ainsi que les formes croisées de discrimination."
            ),
        },
        "themes": ["Equality and non-discrimination", "Gender equality"],
        "affected_groups": ["Women and girls"],
        "sdgs": ["5.1"],
        "cluster": "C2",
        "status": "in_progress",
    },
    {
        "key": "cedaw-co8-20b",
        "mechanism": "treaty_body",
        "body": "CEDAW",
        "symbol": "CEDAW/C/VRD/CO/8",
        "paragraph": "20 (b)",
        "cycle": None,
        "session": "82",
        "issued_on": "2022-07-01",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party provide the Gender Equality Office "
                "with sufficient human, technical and financial resources and strengthen its mandate "
                "to coordinate gender mainstreaming across all ministries."
            ),
        },
        "themes": ["Gender equality"],
        "affected_groups": ["Women and girls"],
        "sdgs": ["5.1", "5.c"],
        "cluster": "C2",
        "status": "partially_implemented",
    },
    {
        "key": "cedaw-co8-24a",
        "mechanism": "treaty_body",
        "body": "CEDAW",
        "symbol": "CEDAW/C/VRD/CO/8",
        "paragraph": "24 (a)",
        "cycle": None,
        "session": "82",
        "issued_on": "2022-07-01",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party ensure that women who are victims of "
                "gender-based violence have access to adequate shelters throughout its territory, "
                "including in rural areas, and establish a free national helpline operating 24 hours "
                "a day."
            ),
        },
        "themes": ["Gender-based violence"],
        "affected_groups": ["Women and girls", "Persons living in rural areas"],
        "sdgs": ["5.2"],
        "cluster": "C2",
        "status": "in_progress",
    },
    {
        "key": "cedaw-co8-28a",
        "mechanism": "treaty_body",
        "body": "CEDAW",
        "symbol": "CEDAW/C/VRD/CO/8",
        "paragraph": "28 (a)",
        "cycle": None,
        "session": "82",
        "issued_on": "2022-07-01",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party strengthen the early identification "
                "and referral of women and girls who are victims of trafficking and ensure that they "
                "have access to shelters, legal assistance and residence permits, irrespective of "
                "their ability or willingness to cooperate with the prosecuting authorities."
            ),
        },
        "themes": ["Gender-based violence", "Administration of justice and detention"],
        "affected_groups": ["Women and girls", "Migrants"],
        "sdgs": ["5.2", "16.2"],
        "cluster": "C4",
        "status": "no_information",
    },
    {
        "key": "cedaw-co8-30c",
        "mechanism": "treaty_body",
        "body": "CEDAW",
        "symbol": "CEDAW/C/VRD/CO/8",
        "paragraph": "30 (c)",
        "cycle": None,
        "session": "82",
        "issued_on": "2022-07-01",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party adopt temporary special measures, "
                "such as statutory quotas and a parity system, to accelerate the equal representation "
                "of women in the National Assembly, the Government and the judiciary."
            ),
        },
        "themes": ["Gender equality"],
        "affected_groups": ["Women and girls"],
        "sdgs": ["5.5"],
        "cluster": "C2",
        "status": "not_started",
    },
    {
        "key": "cedaw-co8-40b",
        "mechanism": "treaty_body",
        "body": "CEDAW",
        "symbol": "CEDAW/C/VRD/CO/8",
        "paragraph": "40 (b)",
        "cycle": None,
        "session": "82",
        "issued_on": "2022-07-01",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party ensure that rural women have access to "
                "affordable sexual and reproductive health services, including modern forms of "
                "contraception, and deploy trained midwives to underserved districts."
            ),
        },
        "themes": ["Right to health", "Gender equality"],
        "affected_groups": ["Women and girls", "Persons living in rural areas"],
        "sdgs": ["3.7", "5.6"],
        "cluster": "C6",
        "status": "in_progress",
    },
    # --- Committee on the Rights of the Child (CRC/C/VRD/CO/5-6) -----------------------------------
    {
        "key": "crc-co56-11a",
        "mechanism": "treaty_body",
        "body": "CRC",
        "symbol": "CRC/C/VRD/CO/5-6",
        "paragraph": "11 (a)",
        "cycle": None,
        "session": "93",
        "issued_on": "2023-06-02",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party establish a comprehensive data "
                "collection system on children, with data disaggregated by age, sex, disability, "
                "geographical location, ethnic origin and socioeconomic background, to inform the "
                "design and evaluation of policies."
            ),
        },
        "themes": ["Rights of the child"],
        "affected_groups": ["Children"],
        "sdgs": ["17.18"],
        "cluster": "C3",
        "status": "in_progress",
    },
    {
        "key": "crc-co56-21b",
        "mechanism": "treaty_body",
        "body": "CRC",
        "symbol": "CRC/C/VRD/CO/5-6",
        "paragraph": "21 (b)",
        "cycle": None,
        "session": "93",
        "issued_on": "2023-06-02",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party explicitly prohibit corporal "
                "punishment in all settings, including the home and alternative care settings, and "
                "repeal the defence of “reasonable chastisement” in the Family Code."
            ),
            "es": (
                "El Comité recomienda al Estado parte que prohíba expresamente los castigos "
                "corporales en todos los entornos, incluidos el hogar y los entornos de cuidado "
                "alternativo, y que derogue la eximente de “corrección razonable” prevista en el "
                "Código de Familia."
            ),
        },
        "themes": ["Rights of the child"],
        "affected_groups": ["Children"],
        "sdgs": ["16.2"],
        "cluster": "C3",
        "status": "in_progress",
    },
    {
        "key": "crc-co56-25a",
        "mechanism": "treaty_body",
        "body": "CRC",
        "symbol": "CRC/C/VRD/CO/5-6",
        "paragraph": "25 (a)",
        "cycle": None,
        "session": "93",
        "issued_on": "2023-06-02",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party ensure that the national child "
                "helpline is free of charge, available 24 hours a day and adequately resourced, and "
                "that it is linked to child protection services."
            ),
        },
        "themes": ["Rights of the child"],
        "affected_groups": ["Children"],
        "sdgs": ["16.2"],
        "cluster": "C3",
        "status": "partially_implemented",
    },
    {
        "key": "crc-co56-27b",
        "mechanism": "treaty_body",
        "body": "CRC",
        "symbol": "CRC/C/VRD/CO/5-6",
        "paragraph": "27 (b)",
        "cycle": None,
        "session": "93",
        "issued_on": "2023-06-02",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party require Internet service providers to "
                "detect, report and remove child sexual abuse material, and train law enforcement "
                "officials to investigate the online sexual exploitation of children."
            ),
        },
        "themes": ["Rights of the child"],
        "affected_groups": ["Children"],
        "sdgs": ["16.2", "5.2"],
        "cluster": "C3",
        "status": "not_started",
    },
    {
        "key": "crc-co56-38b",
        "mechanism": "treaty_body",
        "body": "CRC",
        "symbol": "CRC/C/VRD/CO/5-6",
        "paragraph": "38 (b)",
        "cycle": None,
        "session": "93",
        "issued_on": "2023-06-02",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party increase the coverage and amount of "
                "the universal child benefit in order to address child poverty, in particular among "
                "children in rural areas and children with disabilities."
            ),
        },
        "themes": ["Poverty and social protection", "Rights of the child"],
        "affected_groups": ["Children", "Persons living in poverty"],
        "sdgs": ["1.3", "1.2"],
        "cluster": "C6",
        "status": "in_progress",
    },
    {
        "key": "crc-co56-46a",
        "mechanism": "treaty_body",
        "body": "CRC",
        "symbol": "CRC/C/VRD/CO/5-6",
        "paragraph": "46 (a)",
        "cycle": None,
        "session": "93",
        "issued_on": "2023-06-02",
        "position": None,
        "position_source": None,
        "recommending_states": [],
        "text": {
            "en": (
                "The Committee recommends that the State party raise the minimum age of criminal "
                "responsibility to at least 14 years and ensure that the detention of children is "
                "used as a measure of last resort and for the shortest possible period of time."
            ),
        },
        "themes": ["Administration of justice and detention", "Rights of the child"],
        "affected_groups": ["Children", "Persons deprived of liberty"],
        "sdgs": ["16.3"],
        "cluster": "C4",
        "status": "not_started",
    },
]

ACTIONS = [
    {
        "code": "A1.1",
        "cluster": "C1",
        "title": {
            "en": "Adopt a decree establishing the national mechanism for reporting and follow-up",
            "fr": (
                "Adopter un décret portant création du mécanisme national d'établissement des "
                "rapports et de suivi"
            ),
            "es": (
                "Aprobar un decreto por el que se establece el mecanismo nacional de presentación de "
                "informes y seguimiento"
            ),
            "ru": (
                "Принять постановление о создании национального механизма по представлению докладов "
                "и последующей деятельности"
            ),
            "ar": "اعتماد مرسوم بإنشاء الآلية الوطنية لتقديم التقارير والمتابعة",
            "zh": "通过一项关于设立国家报告和后续行动机制的法令",
        },
        "description": {
            "en": (
                "A government decree sets up the mechanism as a standing body chaired by the Ministry "
                "of Foreign Affairs, with a permanent secretariat and a mandate to prepare the "
                "national implementation plan."
            ),
            "fr": (
                "Un décret gouvernemental institue le mécanisme en tant qu'organe permanent présidé "
                "par le Ministère des affaires étrangères, doté d'un secrétariat permanent et chargé "
                "d'élaborer le plan national de mise en œuvre."
            ),
            "es": (
                "Un decreto del Gobierno establece el mecanismo como órgano permanente presidido por "
                "el Ministerio de Relaciones Exteriores, con una secretaría permanente y el mandato de "
                "elaborar el plan nacional de aplicación."
            ),
            "ru": (
                "Постановлением правительства механизм учреждается в качестве постоянного органа под "
                "председательством Министерства иностранных дел с постоянным секретариатом и "
                "мандатом на подготовку национального плана осуществления."
            ),
            "ar": (
                "يُنشئ مرسوم حكومي الآلية بوصفها هيئة دائمة ترأسها وزارة الخارجية، ولها أمانة دائمة، "
                "وتُكلَّف بإعداد خطة التنفيذ الوطنية."
            ),
            "zh": "政府法令将该机制设立为由外交部主持的常设机构，设有常设秘书处，负责制定国家执行计划。",
        },
        "responsible_entity": "Ministry of Foreign Affairs",
        "partners": "Office of the Prime Minister; Veridia Human Rights Commission",
        "start_on": "2022-09-01",
        "due_on": "2023-06-30",
        "status": "completed",
        "recommendations": ["upr3-121.13", "upr3-121.15"],
    },
    {
        "code": "A1.2",
        "cluster": "C1",
        "title": {
            "en": "Amend the Act on the Veridia Human Rights Commission",
            "fr": "Modifier la loi relative à la Commission des droits de l'homme de Veridia",
            "es": "Modificar la Ley de la Comisión de Derechos Humanos de Veridia",
            "ru": "Внести поправки в Закон о Комиссии по правам человека Веридии",
            "ar": "تعديل قانون لجنة حقوق الإنسان في فيريديا",
            "zh": "修订《维里迪亚人权委员会法》",
        },
        "description": {
            "en": (
                "The amendments guarantee a transparent and participatory selection of commissioners "
                "and a separate budget line, in preparation for an application for A status "
                "accreditation."
            ),
            "fr": (
                "Les modifications garantissent une procédure transparente et participative de "
                "sélection des commissaires et une ligne budgétaire distincte, en vue d'une demande "
                "d'accréditation avec le statut A."
            ),
            "es": (
                "Las modificaciones garantizan un proceso de selección de los comisionados "
                "transparente y participativo y una partida presupuestaria propia, con miras a "
                "solicitar la acreditación con la categoría A."
            ),
            "ru": (
                "Поправки гарантируют прозрачный и открытый для участия процесс отбора членов "
                "Комиссии и отдельную бюджетную статью в рамках подготовки заявки на аккредитацию "
                "со статусом «A»."
            ),
            "ar": (
                "تكفل التعديلات عملية شفافة وتشاركية لاختيار أعضاء اللجنة وبنداً مستقلاً في "
                "الميزانية، تمهيداً لتقديم طلب الاعتماد بالمركز «ألف»."
            ),
            "zh": "修正案保障以透明和参与性的方式遴选委员，并设立单独的预算项目，为申请A级资格认证做准备。",
        },
        "responsible_entity": "Ministry of Justice",
        "partners": "Veridia Human Rights Commission; Human Rights Committee of the National Assembly",
        "start_on": "2023-03-01",
        "due_on": "2027-06-30",
        "status": "in_progress",
        "recommendations": ["upr3-121.8", "upr3-121.10"],
    },
    {
        "code": "A1.3",
        "cluster": "C1",
        "title": {
            "en": "Review the pending ratifications",
            "fr": "Examiner les ratifications en suspens",
            "es": "Examinar las ratificaciones pendientes",
            "ru": "Рассмотреть вопрос о ратификации еще не ратифицированных договоров",
            "ar": "دراسة التصديقات المعلّقة",
            "zh": "审查尚待批准的文书",
        },
        "description": {
            "en": (
                "An interministerial working group assesses the legal and budgetary implications of "
                "ratifying the Optional Protocol to the International Covenant on Economic, Social and "
                "Cultural Rights and the International Convention on the Protection of the Rights of "
                "All Migrant Workers and Members of Their Families."
            ),
            "fr": (
                "Un groupe de travail interministériel évalue les incidences juridiques et "
                "budgétaires de la ratification du Protocole facultatif se rapportant au Pacte "
                "international relatif aux droits économiques, sociaux et culturels et de la "
                "Convention internationale sur la protection des droits de tous les travailleurs "
                "migrants et des membres de leur famille."
            ),
            "es": (
                "Un grupo de trabajo interministerial evalúa las consecuencias jurídicas y "
                "presupuestarias de la ratificación del Protocolo Facultativo del Pacto Internacional "
                "de Derechos Económicos, Sociales y Culturales y de la Convención Internacional sobre "
                "la Protección de los Derechos de Todos los Trabajadores Migratorios y de Sus "
                "Familiares."
            ),
            "ru": (
                "Межведомственная рабочая группа оценивает правовые и бюджетные последствия "
                "ратификации Факультативного протокола к Международному пакту об экономических, "
                "социальных и культурных правах и Международной конвенции о защите прав всех "
                "трудящихся-мигрантов и членов их семей."
            ),
            "ar": (
                "يقيّم فريق عامل مشترك بين الوزارات الآثار القانونية والآثار المتعلقة بالميزانية "
                "المترتبة على التصديق على البروتوكول الاختياري الملحق بالعهد الدولي الخاص بالحقوق "
                "الاقتصادية والاجتماعية والثقافية والاتفاقية الدولية لحماية حقوق جميع العمال "
                "المهاجرين وأفراد أسرهم."
            ),
            "zh": (
                "部际工作组评估批准《经济社会文化权利国际公约任择议定书》和"
                "《保护所有移徙工人及其家庭成员权利国际公约》的法律和预算影响。"
            ),
        },
        "responsible_entity": "Ministry of Foreign Affairs",
        "partners": "Ministry of Justice; Ministry of Social Affairs",
        "start_on": "2027-01-01",
        "due_on": "2027-12-31",
        "status": "planned",
        "recommendations": ["upr3-121.1", "upr3-121.3"],
    },
    {
        "code": "A2.1",
        "cluster": "C2",
        "title": {
            "en": "Draft a comprehensive anti-discrimination bill",
            "fr": "Élaborer un projet de loi complet contre la discrimination",
            "es": "Elaborar un proyecto de ley integral contra la discriminación",
            "ru": "Разработать всеобъемлющий законопроект о борьбе с дискриминацией",
            "ar": "صياغة مشروع قانون شامل لمكافحة التمييز",
            "zh": "起草一项全面的反歧视法案",
        },
        "description": {
            "en": (
                "The bill defines direct, indirect and intersectional discrimination, covers hate "
                "speech and hate crimes, and gives the Veridia Human Rights Commission power to "
                "receive complaints."
            ),
            "fr": (
                "Le projet de loi définit la discrimination directe, indirecte et intersectionnelle, "
                "couvre le discours de haine et les crimes de haine et habilite la Commission des "
                "droits de l'homme de Veridia à recevoir des plaintes."
            ),
            "es": (
                "El proyecto de ley define la discriminación directa, indirecta e interseccional, "
                "abarca el discurso de odio y los delitos de odio, y faculta a la Comisión de "
                "Derechos Humanos de Veridia para recibir denuncias."
            ),
            "ru": (
                "Законопроект содержит определения прямой, косвенной и интерсекциональной "
                "дискриминации, охватывает высказывания, разжигающие ненависть, и преступления на "
                "почве ненависти и наделяет Комиссию по правам человека Веридии полномочиями "
                "принимать жалобы."
            ),
            "ar": (
                "يُعرِّف مشروع القانون التمييز المباشر وغير المباشر والمتقاطع، ويشمل خطاب الكراهية "
                "وجرائم الكراهية، ويخوّل لجنة حقوق الإنسان في فيريديا تلقي الشكاوى."
            ),
            "zh": "该法案界定直接、间接和交叉歧视，涵盖仇恨言论和仇恨犯罪，并授权维里迪亚人权委员会受理申诉。",
        },
        "responsible_entity": "Ministry of Justice",
        "partners": "Gender Equality Office; Veridia Human Rights Commission",
        "start_on": "2023-01-15",
        "due_on": "2027-03-31",
        "status": "in_progress",
        "recommendations": ["upr3-121.31", "upr3-121.35", "cedaw-co8-12a"],
    },
    {
        "code": "A2.2",
        "cluster": "C2",
        "title": {
            "en": "Expand shelters and open a national helpline for victims of gender-based violence",
            "fr": (
                "Augmenter les capacités d'hébergement et ouvrir une ligne d'assistance nationale "
                "pour les victimes de violence fondée sur le genre"
            ),
            "es": (
                "Ampliar los centros de acogida y poner en marcha una línea de atención nacional "
                "para las víctimas de violencia de género"
            ),
            "ru": (
                "Расширить сеть приютов и открыть национальную телефонную линию помощи для жертв "
                "гендерного насилия"
            ),
            "ar": "توسيع نطاق دور الإيواء وإنشاء خط مساعدة وطني لضحايا العنف الجنساني",
            "zh": "扩大庇护所并为基于性别的暴力受害者开通全国求助热线",
        },
        "description": {
            "en": (
                "At least one shelter is opened in each province, and a free helpline operating 24 "
                "hours a day is run together with women's organizations."
            ),
            "fr": (
                "Au moins un centre d'hébergement est ouvert dans chaque province, et une ligne "
                "d'assistance gratuite fonctionnant 24 heures sur 24 est gérée avec des organisations "
                "de femmes."
            ),
            "es": (
                "Se abre al menos un centro de acogida en cada provincia y se gestiona, junto con "
                "organizaciones de mujeres, una línea de atención gratuita que funciona las 24 horas "
                "del día."
            ),
            "ru": (
                "В каждой провинции открывается как минимум один приют, а бесплатная круглосуточная "
                "линия помощи работает совместно с женскими организациями."
            ),
            "ar": (
                "تُفتتح دار إيواء واحدة على الأقل في كل مقاطعة، ويُشغَّل خط مساعدة مجاني على مدار "
                "الساعة بالتعاون مع المنظمات النسائية."
            ),
            "zh": "每个省至少开设一处庇护所，并与妇女组织合作运营一条全天24小时免费求助热线。",
        },
        "responsible_entity": "Ministry of Social Affairs",
        "partners": "Veridian Women's Rights Coalition; Ministry of Interior",
        "start_on": "2022-10-01",
        "due_on": "2025-12-31",
        "status": "delayed",
        "recommendations": ["upr3-121.48", "cedaw-co8-24a"],
    },
    {
        "code": "A2.3",
        "cluster": "C2",
        "title": {
            "en": "Introduce pay transparency and strengthen the Gender Equality Office",
            "fr": "Instaurer la transparence salariale et renforcer le Bureau de l'égalité des sexes",
            "es": "Introducir la transparencia salarial y reforzar la Oficina de Igualdad de Género",
            "ru": (
                "Ввести прозрачность в сфере оплаты труда и укрепить Управление по вопросам "
                "гендерного равенства"
            ),
            "ar": "إرساء الشفافية في الأجور وتعزيز مكتب المساواة بين الجنسين",
            "zh": "实行薪酬透明并加强性别平等办公室",
        },
        "description": {
            "en": (
                "Employers with 50 or more employees report their gender pay gap every year, and the "
                "Gender Equality Office receives additional staff to monitor compliance."
            ),
            "fr": (
                "Les employeurs de 50 salariés ou plus publient chaque année leur écart de "
                "rémunération entre les femmes et les hommes, et le Bureau de l'égalité des sexes "
                "reçoit du personnel supplémentaire pour en contrôler le respect."
            ),
            "es": (
                "Los empleadores con 50 o más trabajadores informan cada año sobre su brecha salarial "
                "de género, y la Oficina de Igualdad de Género recibe personal adicional para "
                "supervisar su cumplimiento."
            ),
            "ru": (
                "Работодатели с численностью работников 50 человек и более ежегодно отчитываются о "
                "гендерном разрыве в оплате труда, а Управление по вопросам гендерного равенства "
                "получает дополнительный персонал для контроля за соблюдением этого требования."
            ),
            "ar": (
                "يقدّم أصحاب العمل الذين يستخدمون 50 عاملاً أو أكثر تقريراً سنوياً عن الفجوة في "
                "الأجور بين الجنسين، ويحصل مكتب المساواة بين الجنسين على موظفين إضافيين لرصد "
                "الامتثال."
            ),
            "zh": "雇员50人及以上的雇主每年报告其性别薪酬差距，性别平等办公室增加工作人员以监测遵守情况。",
        },
        "responsible_entity": "Gender Equality Office",
        "partners": "National Statistics Office; Ministry of Social Affairs",
        "start_on": "2023-07-01",
        "due_on": "2027-06-30",
        "status": "in_progress",
        "recommendations": ["upr3-121.42", "cedaw-co8-20b"],
    },
    {
        "code": "A3.1",
        "cluster": "C3",
        "title": {
            "en": "Amend the Family Code to set the minimum age of marriage at 18",
            "fr": "Modifier le Code de la famille pour fixer l'âge minimum du mariage à 18 ans",
            "es": (
                "Modificar el Código de Familia para fijar en 18 años la edad mínima para contraer matrimonio"
            ),
            "ru": "Внести изменения в Семейный кодекс, установив минимальный брачный возраст в 18 лет",
            "ar": "تعديل قانون الأسرة لتحديد السن الدنيا للزواج بـ 18 عاماً",
            "zh": "修订《家庭法》，将最低结婚年龄定为18岁",
        },
        "description": {
            "en": (
                "The amendment removes marriage below 18 with parental consent and limits judicial "
                "dispensation to persons aged 17, pending a review of that remaining exception."
            ),
            "fr": (
                "La modification supprime le mariage avant 18 ans avec le consentement des parents "
                "et limite la dispense judiciaire aux personnes âgées de 17 ans, en attendant le "
                "réexamen de cette dernière exception."
            ),
            "es": (
                "La modificación suprime el matrimonio antes de los 18 años con consentimiento "
                "parental y limita la dispensa judicial a las personas de 17 años, a la espera de que "
                "se revise esa última excepción."
            ),
            "ru": (
                "Поправка отменяет возможность вступления в брак до 18 лет с согласия родителей и "
                "ограничивает судебное разрешение лицами в возрасте 17 лет до пересмотра этого "
                "последнего исключения."
            ),
            "ar": (
                "يلغي التعديل إمكانية الزواج قبل سن 18 عاماً بموافقة الوالدين، ويقصر الإذن القضائي "
                "على من بلغوا 17 عاماً، ريثما يُعاد النظر في هذا الاستثناء المتبقي."
            ),
            "zh": (
                "该修正案取消了经父母同意即可在18岁以下结婚的规定，并将司法特许限于17岁者，"
                "这一剩余例外有待审查。"
            ),
        },
        "responsible_entity": "Ministry of Justice",
        "partners": "Children First Veridia; Human Rights Committee of the National Assembly",
        "start_on": "2022-09-01",
        "due_on": "2023-12-31",
        "status": "completed",
        "recommendations": ["upr3-121.63"],
    },
    {
        "code": "A3.2",
        "cluster": "C3",
        "title": {
            "en": "Adopt a national strategy to end violence against children",
            "fr": "Adopter une stratégie nationale visant à mettre fin à la violence à l'égard des enfants",
            "es": "Aprobar una estrategia nacional para poner fin a la violencia contra los niños",
            "ru": "Принять национальную стратегию по искоренению насилия в отношении детей",
            "ar": "اعتماد استراتيجية وطنية لإنهاء العنف ضد الأطفال",
            "zh": "通过一项终止暴力侵害儿童行为的国家战略",
        },
        "description": {
            "en": (
                "The strategy includes a legal ban on corporal punishment in all settings, a positive "
                "parenting programme, a strengthened child helpline and measures against online "
                "sexual exploitation."
            ),
            "fr": (
                "La stratégie prévoit l'interdiction légale des châtiments corporels dans tous les "
                "contextes, un programme de parentalité positive, le renforcement de la ligne "
                "d'assistance pour les enfants et des mesures contre l'exploitation sexuelle en ligne."
            ),
            "es": (
                "La estrategia incluye la prohibición legal de los castigos corporales en todos los "
                "entornos, un programa de crianza positiva, el fortalecimiento de la línea de ayuda a "
                "la infancia y medidas contra la explotación sexual en línea."
            ),
            "ru": (
                "Стратегия предусматривает законодательный запрет телесных наказаний во всех "
                "условиях, программу позитивного родительства, укрепление телефона доверия для детей "
                "и меры по борьбе с сексуальной эксплуатацией в Интернете."
            ),
            "ar": (
                "تتضمن الاستراتيجية حظراً قانونياً للعقوبة البدنية في جميع الأماكن، وبرنامجاً "
                "للتربية الإيجابية، وتعزيز خط مساعدة الطفل، وتدابير لمكافحة الاستغلال الجنسي عبر "
                "الإنترنت."
            ),
            "zh": "该战略包括在一切环境中依法禁止体罚、积极育儿方案、加强儿童求助热线以及打击网上性剥削的措施。",
        },
        "responsible_entity": "Ministry of Social Affairs",
        "partners": "Children First Veridia; Ministry of Education; Ministry of Interior",
        "start_on": "2023-03-01",
        "due_on": "2027-12-31",
        "status": "in_progress",
        "recommendations": ["upr3-121.60", "crc-co56-21b", "crc-co56-25a", "crc-co56-27b"],
    },
    {
        "code": "A3.3",
        "cluster": "C3",
        "title": {
            "en": "Deploy mobile birth registration units and build an integrated child data system",
            "fr": (
                "Déployer des unités mobiles d'enregistrement des naissances et créer un système "
                "intégré de données sur les enfants"
            ),
            "es": (
                "Desplegar unidades móviles de inscripción de nacimientos y crear un sistema "
                "integrado de datos sobre la infancia"
            ),
            "ru": (
                "Развернуть мобильные группы по регистрации рождений и создать единую систему данных о детях"
            ),
            "ar": "نشر وحدات متنقلة لتسجيل المواليد وإنشاء نظام متكامل للبيانات المتعلقة بالأطفال",
            "zh": "部署流动出生登记单位并建立儿童综合数据系统",
        },
        "description": {
            "en": (
                "Mobile units visit remote districts every quarter, and civil registration records "
                "are linked with health and education data, disaggregated by sex, age, disability "
                "and location."
            ),
            "fr": (
                "Des unités mobiles se rendent chaque trimestre dans les districts isolés, et les "
                "données de l'état civil sont reliées aux données de santé et d'éducation, ventilées "
                "par sexe, âge, handicap et lieu de résidence."
            ),
            "es": (
                "Unidades móviles visitan cada trimestre los distritos remotos, y los registros "
                "civiles se vinculan con los datos de salud y educación, desglosados por sexo, edad, "
                "discapacidad y ubicación."
            ),
            "ru": (
                "Мобильные группы ежеквартально посещают отдаленные районы, а записи актов "
                "гражданского состояния увязываются с данными здравоохранения и образования в "
                "разбивке по полу, возрасту, инвалидности и месту проживания."
            ),
            "ar": (
                "تزور الوحدات المتنقلة المناطق النائية كل ثلاثة أشهر، وتُربط سجلات الأحوال المدنية "
                "ببيانات الصحة والتعليم، مصنفةً حسب الجنس والسن والإعاقة والموقع."
            ),
            "zh": "流动单位每季度走访偏远地区，民事登记记录与卫生和教育数据相关联，并按性别、年龄、残疾状况和地点分列。",
        },
        "responsible_entity": "Ministry of Interior",
        "partners": "National Statistics Office; Ministry of Health",
        "start_on": "2023-01-01",
        "due_on": "2027-06-30",
        "status": "in_progress",
        "recommendations": ["upr3-121.66", "crc-co56-11a"],
    },
    {
        "code": "A4.1",
        "cluster": "C4",
        "title": {
            "en": "Designate the national preventive mechanism",
            "fr": "Désigner le mécanisme national de prévention",
            "es": "Designar el mecanismo nacional de prevención",
            "ru": "Назначить национальный превентивный механизм",
            "ar": "تعيين الآلية الوقائية الوطنية",
            "zh": "指定国家防范机制",
        },
        "description": {
            "en": (
                "Following ratification of the Optional Protocol to the Convention against Torture, "
                "the Veridia Human Rights Commission is designated as the mechanism, with a dedicated "
                "unit and unannounced access to all places of deprivation of liberty."
            ),
            "fr": (
                "À la suite de la ratification du Protocole facultatif se rapportant à la Convention "
                "contre la torture, la Commission des droits de l'homme de Veridia est désignée comme "
                "mécanisme, avec une unité spécialisée et un accès inopiné à tous les lieux de "
                "privation de liberté."
            ),
            "es": (
                "Tras la ratificación del Protocolo Facultativo de la Convención contra la Tortura, "
                "la Comisión de Derechos Humanos de Veridia es designada como mecanismo, con una "
                "unidad específica y acceso sin previo aviso a todos los lugares de privación de "
                "libertad."
            ),
            "ru": (
                "После ратификации Факультативного протокола к Конвенции против пыток Комиссия по "
                "правам человека Веридии назначается таким механизмом и получает специальное "
                "подразделение и право доступа без предварительного уведомления во все места "
                "лишения свободы."
            ),
            "ar": (
                "عقب التصديق على البروتوكول الاختياري لاتفاقية مناهضة التعذيب، تُعيَّن لجنة حقوق "
                "الإنسان في فيريديا آليةً وقائية وطنية، مع وحدة مخصصة وإمكانية الوصول دون إشعار "
                "مسبق إلى جميع أماكن الحرمان من الحرية."
            ),
            "zh": (
                "在批准《禁止酷刑公约任择议定书》之后，指定维里迪亚人权委员会为该机制，"
                "设立专门单位，并可在不事先通知的情况下进入所有剥夺自由场所。"
            ),
        },
        "responsible_entity": "Ministry of Justice",
        "partners": "Veridia Human Rights Commission; Ministry of Interior",
        "start_on": "2023-01-01",
        "due_on": "2027-06-30",
        "status": "in_progress",
        "recommendations": ["upr3-121.80"],
    },
    {
        "code": "A4.2",
        "cluster": "C4",
        "title": {
            "en": "Expand alternatives to detention",
            "fr": "Développer les mesures de substitution à la détention",
            "es": "Ampliar las medidas alternativas a la privación de libertad",
            "ru": "Расширить применение мер, альтернативных содержанию под стражей",
            "ar": "التوسع في بدائل الاحتجاز",
            "zh": "扩大拘留替代措施",
        },
        "description": {
            "en": (
                "Electronic monitoring, bail and community service are extended nationwide, and a "
                "specialized child justice service uses the detention of children only as a measure "
                "of last resort."
            ),
            "fr": (
                "La surveillance électronique, la libération sous caution et le travail d'intérêt "
                "général sont étendus à l'ensemble du pays, et un service spécialisé de justice pour "
                "enfants ne recourt à la détention des enfants qu'en dernier ressort."
            ),
            "es": (
                "La vigilancia electrónica, la libertad bajo fianza y el trabajo en beneficio de la "
                "comunidad se extienden a todo el país, y un servicio especializado de justicia "
                "juvenil solo recurre a la privación de libertad de niños como medida de último "
                "recurso."
            ),
            "ru": (
                "Электронный мониторинг, освобождение под залог и общественные работы применяются "
                "по всей стране, а специализированная служба правосудия в отношении детей прибегает "
                "к содержанию детей под стражей лишь в качестве крайней меры."
            ),
            "ar": (
                "يُعمَّم الرصد الإلكتروني والإفراج بكفالة والخدمة المجتمعية على الصعيد الوطني، ولا "
                "تلجأ دائرة متخصصة لقضاء الأطفال إلى احتجاز الأطفال إلا كملاذ أخير."
            ),
            "zh": "在全国推广电子监控、保释和社区服务，专门的儿童司法服务部门仅将拘留儿童作为最后手段。",
        },
        "responsible_entity": "Ministry of Justice",
        "partners": "Legal Aid and Defenders Network; Veridia Human Rights Commission",
        "start_on": "2022-10-01",
        "due_on": "2027-12-31",
        "status": "in_progress",
        "recommendations": ["upr3-121.84", "upr3-121.87", "crc-co56-46a"],
    },
    {
        "code": "A5.1",
        "cluster": "C5",
        "title": {
            "en": "Draft a law on the protection of human rights defenders and journalists",
            "fr": (
                "Élaborer une loi sur la protection des défenseurs des droits de l'homme et des journalistes"
            ),
            "es": (
                "Elaborar una ley de protección de los defensores de los derechos humanos y los periodistas"
            ),
            "ru": "Разработать закон о защите правозащитников и журналистов",
            "ar": "صياغة قانون بشأن حماية المدافعين عن حقوق الإنسان والصحفيين",
            "zh": "起草一项关于保护人权维护者和记者的法律",
        },
        "description": {
            "en": (
                "A working group with civil society drafts the law, which creates a protection "
                "mechanism able to order urgent measures within 72 hours."
            ),
            "fr": (
                "Un groupe de travail associant la société civile rédige la loi, qui crée un "
                "mécanisme de protection habilité à ordonner des mesures urgentes dans un délai de "
                "72 heures."
            ),
            "es": (
                "Un grupo de trabajo con participación de la sociedad civil redacta la ley, que crea "
                "un mecanismo de protección facultado para ordenar medidas urgentes en un plazo de "
                "72 horas."
            ),
            "ru": (
                "Рабочая группа с участием гражданского общества готовит проект закона, который "
                "создает механизм защиты, уполномоченный в течение 72 часов принимать срочные меры."
            ),
            "ar": (
                "يتولى فريق عامل يضم المجتمع المدني صياغة القانون الذي يُنشئ آلية حماية مخوَّلة "
                "باتخاذ تدابير عاجلة في غضون 72 ساعة."
            ),
            "zh": "由民间社会参与的工作组起草该法律，该法律设立一个可在72小时内下令采取紧急措施的保护机制。",
        },
        "responsible_entity": "Ministry of Interior",
        "partners": "Legal Aid and Defenders Network; Veridia Human Rights Commission",
        "start_on": "2024-01-01",
        "due_on": "2027-06-30",
        "status": "in_progress",
        "recommendations": ["upr3-121.101"],
    },
    {
        "code": "A5.2",
        "cluster": "C5",
        "title": {
            "en": "Adopt a protocol on the prevention of reprisals",
            "fr": "Adopter un protocole relatif à la prévention des représailles",
            "es": "Aprobar un protocolo para la prevención de represalias",
            "ru": "Принять протокол о предупреждении репрессий",
            "ar": "اعتماد بروتوكول لمنع الأعمال الانتقامية",
            "zh": "通过一项防止报复的规程",
        },
        "description": {
            "en": (
                "The protocol designates a focal point in the Ministry of Foreign Affairs and sets out "
                "how allegations of reprisals for cooperation with the United Nations are received, "
                "referred and followed up."
            ),
            "fr": (
                "Le protocole désigne un point focal au sein du Ministère des affaires étrangères et "
                "précise comment les allégations de représailles pour coopération avec l'Organisation "
                "des Nations Unies sont reçues, transmises et suivies."
            ),
            "es": (
                "El protocolo designa un coordinador en el Ministerio de Relaciones Exteriores y "
                "establece cómo se reciben, remiten y siguen las denuncias de represalias por cooperar "
                "con las Naciones Unidas."
            ),
            "ru": (
                "Протокол определяет координатора в Министерстве иностранных дел и устанавливает "
                "порядок получения, передачи и рассмотрения сообщений о репрессиях за сотрудничество "
                "с Организацией Объединенных Наций."
            ),
            "ar": (
                "يحدّد البروتوكول جهة تنسيق داخل وزارة الخارجية، ويبيّن كيفية تلقي ادعاءات الأعمال "
                "الانتقامية بسبب التعاون مع الأمم المتحدة وإحالتها ومتابعتها."
            ),
            "zh": "该规程在外交部指定一个联络点，并规定如何接收、转交和跟进因与联合国合作而遭受报复的指控。",
        },
        "responsible_entity": "Ministry of Foreign Affairs",
        "partners": "Veridia Human Rights Commission",
        "start_on": "2022-11-01",
        "due_on": "2023-10-31",
        "status": "completed",
        "recommendations": ["upr3-121.110"],
    },
    {
        "code": "A6.1",
        "cluster": "C6",
        "title": {
            "en": "Extend the universal child benefit",
            "fr": "Étendre l'allocation universelle pour enfant",
            "es": "Ampliar la asignación universal por hijo",
            "ru": "Расширить охват универсального пособия на ребенка",
            "ar": "توسيع نطاق إعانة الطفل الشاملة",
            "zh": "扩大普遍儿童津贴",
        },
        "description": {
            "en": (
                "The benefit is extended to households working in the informal economy and increased "
                "by 20 per cent for children with disabilities."
            ),
            "fr": (
                "L'allocation est étendue aux ménages travaillant dans l'économie informelle et "
                "majorée de 20 % pour les enfants handicapés."
            ),
            "es": (
                "La asignación se extiende a los hogares que trabajan en la economía informal y se "
                "incrementa en un 20 % para los niños con discapacidad."
            ),
            "ru": (
                "Пособие распространяется на домохозяйства, занятые в неформальной экономике, и "
                "увеличивается на 20 процентов для детей-инвалидов."
            ),
            "ar": (
                "تُوسَّع الإعانة لتشمل الأسر العاملة في الاقتصاد غير الرسمي، وتُزاد بنسبة 20 في "
                "المائة للأطفال ذوي الإعاقة."
            ),
            "zh": "该津贴扩大到在非正规经济中就业的家庭，残疾儿童的津贴提高20%。",
        },
        "responsible_entity": "Ministry of Social Affairs",
        "partners": "National Statistics Office; Veridia Disability Rights Forum",
        "start_on": "2023-01-01",
        "due_on": "2026-12-31",
        "status": "in_progress",
        "recommendations": ["upr3-121.130", "crc-co56-38b"],
    },
    {
        "code": "A6.2",
        "cluster": "C6",
        "title": {
            "en": "Deploy community health teams in rural districts",
            "fr": "Déployer des équipes de santé communautaire dans les districts ruraux",
            "es": "Desplegar equipos de salud comunitaria en los distritos rurales",
            "ru": "Направить общинные медицинские бригады в сельские районы",
            "ar": "نشر أفرقة صحية مجتمعية في المناطق الريفية",
            "zh": "在农村地区部署社区卫生团队",
        },
        "description": {
            "en": (
                "Each team includes a trained midwife and provides antenatal care, family planning "
                "and referral for obstetric emergencies."
            ),
            "fr": (
                "Chaque équipe comprend une sage-femme qualifiée et assure les soins prénatals, la "
                "planification familiale et l'orientation en cas d'urgence obstétricale."
            ),
            "es": (
                "Cada equipo incluye una partera capacitada y presta atención prenatal, servicios de "
                "planificación familiar y derivación en caso de emergencias obstétricas."
            ),
            "ru": (
                "В состав каждой бригады входит квалифицированная акушерка; бригады обеспечивают "
                "дородовое наблюдение, услуги по планированию семьи и направление в случае "
                "акушерских осложнений."
            ),
            "ar": (
                "يضم كل فريق قابلة مدرَّبة، ويقدّم الرعاية السابقة للولادة وخدمات تنظيم الأسرة "
                "والإحالة في حالات الطوارئ التوليدية."
            ),
            "zh": "每个团队配备一名受过培训的助产士，提供产前护理、计划生育服务以及产科急症转诊。",
        },
        "responsible_entity": "Ministry of Health",
        "partners": "Veridian Women's Rights Coalition",
        "start_on": "2023-04-01",
        "due_on": "2027-03-31",
        "status": "in_progress",
        "recommendations": ["upr3-121.138", "cedaw-co8-40b"],
    },
    {
        "code": "A6.3",
        "cluster": "C6",
        "title": {
            "en": "Train teachers in inclusive education",
            "fr": "Former les enseignants à l'éducation inclusive",
            "es": "Capacitar al personal docente en educación inclusiva",
            "ru": "Обучить учителей методам инклюзивного образования",
            "ar": "تدريب المعلمين على التعليم الشامل للجميع",
            "zh": "开展全纳教育教师培训",
        },
        "description": {
            "en": (
                "Teachers in mainstream schools are trained in reasonable accommodation, and each "
                "school district receives a support team for pupils with disabilities."
            ),
            "fr": (
                "Les enseignants des écoles ordinaires sont formés aux aménagements raisonnables, et "
                "chaque district scolaire reçoit une équipe d'appui pour les élèves handicapés."
            ),
            "es": (
                "El personal docente de las escuelas ordinarias recibe formación sobre ajustes "
                "razonables, y cada distrito escolar cuenta con un equipo de apoyo para el alumnado "
                "con discapacidad."
            ),
            "ru": (
                "Учителя общеобразовательных школ проходят обучение по вопросам разумного "
                "приспособления, а в каждом школьном округе создается группа поддержки учащихся с "
                "инвалидностью."
            ),
            "ar": (
                "يتلقى المعلمون في المدارس العادية تدريباً على الترتيبات التيسيرية المعقولة، وتُزوَّد "
                "كل منطقة تعليمية بفريق دعم للتلاميذ ذوي الإعاقة."
            ),
            "zh": "普通学校教师接受关于合理便利的培训，每个学区配备一个支持残疾学生的小组。",
        },
        "responsible_entity": "Ministry of Education",
        "partners": "Veridia Disability Rights Forum; Centre for Human Rights, University of Veridia",
        "start_on": "2023-09-01",
        "due_on": "2027-08-31",
        "status": "in_progress",
        "recommendations": ["upr3-121.145"],
    },
]

# Yes/no indicators are recorded as numbers: 1 for yes, 0 for no.
INDICATORS = [
    {
        "action": "A1.1",
        "kind": "structural",
        "title": {
            "en": "Standing national mechanism for reporting and follow-up established by law or decree",
            "fr": (
                "Mécanisme national permanent d'établissement des rapports et de suivi créé par une "
                "loi ou un décret"
            ),
            "es": (
                "Mecanismo nacional permanente de presentación de informes y seguimiento establecido "
                "por ley o decreto"
            ),
            "ru": (
                "Постоянный национальный механизм по представлению докладов и последующей "
                "деятельности, учрежденный законом или постановлением"
            ),
            "ar": "آلية وطنية دائمة لتقديم التقارير والمتابعة منشأة بموجب قانون أو مرسوم",
            "zh": "依法律或法令设立的常设国家报告和后续行动机制",
        },
        "unit": "yes/no",
        "baseline": "0",
        "baseline_year": 2021,
        "target": "1",
        "target_year": 2023,
        "source": "Official Gazette of the Republic of Veridia",
        "disaggregation": None,
        "values": [
            {"period": "2022-12-31", "breakdown": "", "value": "0"},
            {"period": "2023-12-31", "breakdown": "", "value": "1"},
        ],
    },
    {
        "action": "A1.2",
        "kind": "structural",
        "title": {
            "en": "Veridia Human Rights Commission accredited with A status",
            "fr": "Accréditation de la Commission des droits de l'homme de Veridia avec le statut A",
            "es": "Acreditación de la Comisión de Derechos Humanos de Veridia con la categoría A",
            "ru": "Аккредитация Комиссии по правам человека Веридии со статусом «A»",
            "ar": "اعتماد لجنة حقوق الإنسان في فيريديا بالمركز «ألف»",
            "zh": "维里迪亚人权委员会获得A级资格认证",
        },
        "unit": "yes/no",
        "baseline": "0",
        "baseline_year": 2021,
        "target": "1",
        "target_year": 2027,
        "source": "Global Alliance of National Human Rights Institutions",
        "disaggregation": None,
        "values": [
            {"period": "2022-12-31", "breakdown": "", "value": "0"},
            {"period": "2025-12-31", "breakdown": "", "value": "0"},
        ],
    },
    {
        "action": "A2.2",
        "kind": "process",
        "title": {
            "en": "Number of places in shelters for women victims of gender-based violence",
            "fr": (
                "Nombre de places en centres d'hébergement pour les femmes victimes de violence "
                "fondée sur le genre"
            ),
            "es": "Número de plazas en centros de acogida para mujeres víctimas de violencia de género",
            "ru": "Число мест в приютах для женщин — жертв гендерного насилия",
            "ar": "عدد الأماكن في دور إيواء النساء ضحايا العنف الجنساني",
            "zh": "为基于性别的暴力女性受害者提供的庇护所床位数",
        },
        "unit": "number",
        "baseline": "120",
        "baseline_year": 2021,
        "target": "400",
        "target_year": 2026,
        "source": "Ministry of Social Affairs",
        "disaggregation": "province",
        "values": [
            {"period": "2022-12-31", "breakdown": "", "value": "160"},
            {"period": "2023-12-31", "breakdown": "", "value": "205"},
            {"period": "2024-12-31", "breakdown": "", "value": "240"},
            {"period": "2025-12-31", "breakdown": "", "value": "262"},
        ],
    },
    {
        "action": "A2.3",
        "kind": "outcome",
        "title": {
            "en": "Unadjusted gender pay gap",
            "fr": "Écart de rémunération non ajusté entre les femmes et les hommes",
            "es": "Brecha salarial de género no ajustada",
            "ru": "Нескорректированный гендерный разрыв в оплате труда",
            "ar": "الفجوة غير المعدَّلة في الأجور بين الجنسين",
            "zh": "未经调整的性别薪酬差距",
        },
        "unit": "%",
        "baseline": "18.4",
        "baseline_year": 2021,
        "target": "12.0",
        "target_year": 2027,
        "source": "National Statistics Office",
        "disaggregation": "economic sector, age",
        "values": [
            {"period": "2022-12-31", "breakdown": "", "value": "17.9"},
            {"period": "2023-12-31", "breakdown": "", "value": "17.2"},
            {"period": "2024-12-31", "breakdown": "", "value": "16.5"},
            {"period": "2025-12-31", "breakdown": "", "value": "15.8"},
        ],
    },
    {
        "action": "A3.2",
        "kind": "structural",
        "title": {
            "en": "Legal prohibition of corporal punishment of children in all settings",
            "fr": "Interdiction légale des châtiments corporels infligés aux enfants dans tous les contextes",
            "es": "Prohibición legal del castigo corporal de los niños en todos los entornos",
            "ru": "Законодательный запрет телесных наказаний детей во всех условиях",
            "ar": "الحظر القانوني للعقوبة البدنية للأطفال في جميع الأماكن",
            "zh": "在一切环境中依法禁止对儿童实施体罚",
        },
        "unit": "yes/no",
        "baseline": "0",
        "baseline_year": 2021,
        "target": "1",
        "target_year": 2026,
        "source": "Official Gazette of the Republic of Veridia",
        "disaggregation": None,
        "values": [
            {"period": "2023-12-31", "breakdown": "", "value": "0"},
            {"period": "2025-12-31", "breakdown": "", "value": "0"},
        ],
    },
    {
        "action": "A3.3",
        "kind": "outcome",
        "title": {
            "en": (
                "Proportion of children under 5 years of age whose births have been registered with "
                "a civil authority"
            ),
            "fr": (
                "Proportion d'enfants de moins de 5 ans dont la naissance a été déclarée à une "
                "autorité d'état civil"
            ),
            "es": (
                "Proporción de niños menores de 5 años cuyo nacimiento se ha inscrito en el registro civil"
            ),
            "ru": (
                "Доля детей в возрасте до 5 лет, рождение которых было зарегистрировано в органах "
                "записи актов гражданского состояния"
            ),
            "ar": "نسبة الأطفال دون سن الخامسة الذين سُجِّلت ولادتهم لدى سلطة مدنية",
            "zh": "出生已在民事当局登记的5岁以下儿童比例",
        },
        "unit": "%",
        "baseline": "91.2",
        "baseline_year": 2021,
        "target": "99.0",
        "target_year": 2027,
        "source": "National Statistics Office",
        "disaggregation": "sex, region",
        "values": [
            {"period": "2023-12-31", "breakdown": "", "value": "94.0"},
            {"period": "2023-12-31", "breakdown": "sex=female", "value": "93.8"},
            {"period": "2023-12-31", "breakdown": "sex=male", "value": "94.2"},
            {"period": "2025-12-31", "breakdown": "", "value": "95.6"},
            {"period": "2025-12-31", "breakdown": "sex=female", "value": "95.5"},
            {"period": "2025-12-31", "breakdown": "sex=male", "value": "95.7"},
        ],
    },
    {
        "action": "A4.1",
        "kind": "process",
        "title": {
            "en": (
                "Number of visits to places of deprivation of liberty carried out by the national "
                "preventive mechanism"
            ),
            "fr": (
                "Nombre de visites de lieux de privation de liberté effectuées par le mécanisme "
                "national de prévention"
            ),
            "es": (
                "Número de visitas a lugares de privación de libertad realizadas por el mecanismo "
                "nacional de prevención"
            ),
            "ru": ("Число посещений мест лишения свободы, проведенных национальным превентивным механизмом"),
            "ar": "عدد الزيارات التي أجرتها الآلية الوقائية الوطنية إلى أماكن الحرمان من الحرية",
            "zh": "国家防范机制对剥夺自由场所的访问次数",
        },
        "unit": "number",
        "baseline": "0",
        "baseline_year": 2022,
        "target": "120",
        "target_year": 2027,
        "source": "Veridia Human Rights Commission",
        "disaggregation": "type of facility",
        "values": [
            {"period": "2024-12-31", "breakdown": "", "value": "12"},
            {"period": "2025-12-31", "breakdown": "", "value": "37"},
        ],
    },
    {
        "action": "A4.2",
        "kind": "outcome",
        "title": {
            "en": "Unsentenced detainees as a proportion of the overall prison population",
            "fr": "Proportion de détenus non condamnés dans la population carcérale totale",
            "es": "Proporción de detenidos no condenados en el conjunto de la población reclusa",
            "ru": "Доля лиц, содержащихся под стражей без приговора, в общей численности заключенных",
            "ar": "نسبة المحتجزين غير المحكوم عليهم من مجموع نزلاء السجون",
            "zh": "未判刑的被拘留者占监狱总人数的比例",
        },
        "unit": "%",
        "baseline": "38.5",
        "baseline_year": 2021,
        "target": "25.0",
        "target_year": 2027,
        "source": "Prison Administration, Ministry of Justice",
        "disaggregation": "sex, age",
        "values": [
            {"period": "2022-12-31", "breakdown": "", "value": "36.9"},
            {"period": "2022-12-31", "breakdown": "sex=female", "value": "31.0"},
            {"period": "2022-12-31", "breakdown": "sex=male", "value": "37.3"},
            {"period": "2025-12-31", "breakdown": "", "value": "33.2"},
            {"period": "2025-12-31", "breakdown": "sex=female", "value": "28.4"},
            {"period": "2025-12-31", "breakdown": "sex=male", "value": "33.6"},
        ],
    },
    {
        "action": "A6.1",
        "kind": "outcome",
        "title": {
            "en": "Proportion of children covered by social protection benefits",
            "fr": "Proportion d'enfants bénéficiant de prestations de protection sociale",
            "es": "Proporción de niños cubiertos por prestaciones de protección social",
            "ru": "Доля детей, охваченных пособиями по линии социальной защиты",
            "ar": "نسبة الأطفال المشمولين باستحقاقات الحماية الاجتماعية",
            "zh": "享有社会保护津贴的儿童比例",
        },
        "unit": "%",
        "baseline": "62.0",
        "baseline_year": 2021,
        "target": "85.0",
        "target_year": 2027,
        "source": "National Statistics Office",
        "disaggregation": "sex, age, region",
        "values": [
            {"period": "2023-12-31", "breakdown": "", "value": "68.4"},
            {"period": "2023-12-31", "breakdown": "sex=female", "value": "68.1"},
            {"period": "2023-12-31", "breakdown": "sex=male", "value": "68.7"},
            {"period": "2025-12-31", "breakdown": "", "value": "73.0"},
            {"period": "2025-12-31", "breakdown": "sex=female", "value": "72.8"},
            {"period": "2025-12-31", "breakdown": "sex=male", "value": "73.2"},
        ],
    },
    {
        "action": "A6.3",
        "kind": "process",
        "title": {
            "en": "Number of teachers trained in inclusive education",
            "fr": "Nombre d'enseignants formés à l'éducation inclusive",
            "es": "Número de docentes capacitados en educación inclusiva",
            "ru": "Число учителей, прошедших подготовку по вопросам инклюзивного образования",
            "ar": "عدد المعلمين المدرَّبين على التعليم الشامل للجميع",
            "zh": "接受全纳教育培训的教师人数",
        },
        "unit": "number",
        "baseline": "0",
        "baseline_year": 2022,
        "target": "6000",
        "target_year": 2027,
        "source": "Ministry of Education",
        "disaggregation": "sex, region",
        "values": [
            {"period": "2024-06-30", "breakdown": "", "value": "1240"},
            {"period": "2024-06-30", "breakdown": "sex=female", "value": "910"},
            {"period": "2024-06-30", "breakdown": "sex=male", "value": "330"},
            {"period": "2025-06-30", "breakdown": "", "value": "2480"},
            {"period": "2025-06-30", "breakdown": "sex=female", "value": "1815"},
            {"period": "2025-06-30", "breakdown": "sex=male", "value": "665"},
        ],
    },
]

GUIDING_QUESTIONS = {
    "cycle3-mid-term": [
        {
            "en": (
                "Which of the recommendations in this cluster have led to concrete changes, and what "
                "evidence do you have of them?"
            ),
            "fr": (
                "Lesquelles des recommandations de ce groupe thématique ont donné lieu à des "
                "changements concrets, et de quels éléments disposez-vous pour l'attester ?"
            ),
            "es": (
                "¿Cuáles de las recomendaciones de esta agrupación temática han dado lugar a cambios "
                "concretos y qué pruebas tiene de ello?"
            ),
            "ru": (
                "Какие из рекомендаций этой тематической группы привели к конкретным изменениям и "
                "чем вы можете это подтвердить?"
            ),
            "ar": (
                "ما التوصيات الواردة في هذه المجموعة المواضيعية التي أدت إلى تغييرات ملموسة، وما "
                "الأدلة المتوفرة لديكم على ذلك؟"
            ),
            "zh": "本主题分组中的哪些建议带来了具体变化？您有哪些证据？",
        },
        {
            "en": (
                "Where has implementation stalled, and what would help to move it forward before the "
                "next review?"
            ),
            "fr": (
                "Dans quels domaines la mise en œuvre est-elle au point mort, et qu'est-ce qui "
                "permettrait de la faire avancer avant le prochain examen ?"
            ),
            "es": (
                "¿En qué ámbitos se ha estancado la aplicación y qué ayudaría a avanzar antes del "
                "próximo examen?"
            ),
            "ru": (
                "В каких областях осуществление застопорилось и что помогло бы продвинуться вперед "
                "до следующего обзора?"
            ),
            "ar": "أين تعثّر التنفيذ، وما الذي من شأنه أن يساعد على المضي قدماً قبل الاستعراض المقبل؟",
            "zh": "哪些方面的执行工作陷入停滞？在下一次审议之前，什么有助于推动执行？",
        },
    ],
    "cycle4-pre-review": [
        {
            "en": (
                "What should the national report say about the implementation of the recommendations "
                "in this cluster?"
            ),
            "fr": (
                "Que devrait dire le rapport national sur la mise en œuvre des recommandations de ce "
                "groupe thématique ?"
            ),
            "es": (
                "¿Qué debería decir el informe nacional sobre la aplicación de las recomendaciones de "
                "esta agrupación temática?"
            ),
            "ru": (
                "Что следует отразить в национальном докладе в отношении осуществления рекомендаций "
                "этой тематической группы?"
            ),
            "ar": (
                "ما الذي ينبغي أن يتضمنه التقرير الوطني بشأن تنفيذ التوصيات الواردة في هذه "
                "المجموعة المواضيعية؟"
            ),
            "zh": "关于本主题分组中建议的落实情况，国家报告应当说明什么？",
        },
        {
            "en": "Which groups have been left behind, and what data show it?",
            "fr": "Quels groupes ont été laissés de côté, et quelles données le montrent ?",
            "es": "¿Qué grupos se han quedado atrás y qué datos lo demuestran?",
            "ru": "Какие группы остались позади и какие данные это подтверждают?",
            "ar": "ما الفئات التي تُركت خلف الركب، وما البيانات التي تبيّن ذلك؟",
            "zh": "哪些群体被落在后面？哪些数据表明了这一点？",
        },
        {
            "en": (
                "Which new issues should the Government raise, or expect to be raised, during the "
                "fourth cycle?"
            ),
            "fr": (
                "Quelles nouvelles questions le Gouvernement devrait-il soulever, ou s'attendre à "
                "voir soulevées, au cours du quatrième cycle ?"
            ),
            "es": (
                "¿Qué nuevas cuestiones debería plantear el Gobierno, o prever que se planteen, "
                "durante el cuarto ciclo?"
            ),
            "ru": (
                "Какие новые вопросы правительству следует поднять или ожидать, что они будут "
                "подняты, в ходе четвертого цикла?"
            ),
            "ar": "ما القضايا الجديدة التي ينبغي للحكومة أن تثيرها، أو تتوقع إثارتها، خلال الجولة الرابعة؟",
            "zh": "政府应在第四轮审议中提出哪些新问题，或预计会被问及哪些新问题？",
        },
    ],
    "cycle4-pre-report": [
        {
            "en": (
                "What progress has been made on the concluding observations of the Committee on the "
                "Elimination of Discrimination against Women and the Committee on the Rights of the "
                "Child since they were issued?"
            ),
            "fr": (
                "Quels progrès ont été accomplis dans la suite donnée aux observations finales du "
                "Comité pour l'élimination de la discrimination à l'égard des femmes et du Comité des "
                "droits de l'enfant depuis leur publication ?"
            ),
            "es": (
                "¿Qué avances se han logrado en relación con las observaciones finales del Comité "
                "para la Eliminación de la Discriminación contra la Mujer y del Comité de los "
                "Derechos del Niño desde su publicación?"
            ),
            "ru": (
                "Какой прогресс был достигнут в выполнении заключительных замечаний Комитета по "
                "ликвидации дискриминации в отношении женщин и Комитета по правам ребенка с момента "
                "их опубликования?"
            ),
            "ar": (
                "ما التقدم المحرز في تنفيذ الملاحظات الختامية للجنة القضاء على التمييز ضد المرأة "
                "ولجنة حقوق الطفل منذ صدورها؟"
            ),
            "zh": "自消除对妇女歧视委员会和儿童权利委员会发布结论性意见以来，在落实这些意见方面取得了哪些进展？",
        },
        {
            "en": (
                "Which indicators should the next periodic reports use to show results for women, "
                "girls and children?"
            ),
            "fr": (
                "Quels indicateurs les prochains rapports périodiques devraient-ils utiliser pour "
                "montrer les résultats obtenus pour les femmes, les filles et les enfants ?"
            ),
            "es": (
                "¿Qué indicadores deberían utilizar los próximos informes periódicos para mostrar los "
                "resultados obtenidos para las mujeres, las niñas y los niños?"
            ),
            "ru": (
                "Какие показатели следует использовать в следующих периодических докладах, чтобы "
                "показать результаты для женщин, девочек и детей?"
            ),
            "ar": (
                "ما المؤشرات التي ينبغي أن تستخدمها التقارير الدورية المقبلة لإظهار النتائج المحققة "
                "لصالح النساء والفتيات والأطفال؟"
            ),
            "zh": "下一次定期报告应使用哪些指标来展示为妇女、女童和儿童取得的成果？",
        },
    ],
}

ROUNDS = [
    {
        "slug": "cycle3-mid-term",
        "stage": "mid_term",
        "cycle": 3,
        "title": {
            "en": "Mid-term consultation on the third cycle of the Universal Periodic Review",
            "fr": "Consultation à mi-parcours sur le troisième cycle de l'Examen périodique universel",
            "es": "Consulta de mitad de período sobre el tercer ciclo del Examen Periódico Universal",
            "ru": "Среднесрочная консультация по третьему циклу универсального периодического обзора",
            "ar": "مشاورة منتصف المدة بشأن الجولة الثالثة من الاستعراض الدوري الشامل",
            "zh": "关于第三轮普遍定期审议的中期协商",
        },
        "description": {
            "en": (
                "The national mechanism for reporting and follow-up asked stakeholders how far the "
                "recommendations from the third cycle had been implemented, cluster by cluster. The "
                "Veridia Human Rights Commission summarized the contributions, the mechanism answered "
                "each of them publicly, and the results fed into the voluntary mid-term report."
            ),
            "fr": (
                "Le mécanisme national d'établissement des rapports et de suivi a demandé aux parties "
                "prenantes dans quelle mesure les recommandations du troisième cycle avaient été "
                "mises en œuvre, groupe thématique par groupe thématique. La Commission des droits de "
                "l'homme de Veridia a résumé les contributions, le mécanisme a répondu publiquement à "
                "chacune d'elles et les résultats ont alimenté le rapport à mi-parcours présenté à "
                "titre volontaire."
            ),
            "es": (
                "El mecanismo nacional de presentación de informes y seguimiento preguntó a las partes "
                "interesadas en qué medida se habían aplicado las recomendaciones del tercer ciclo, "
                "agrupación temática por agrupación temática. La Comisión de Derechos Humanos de "
                "Veridia resumió las contribuciones, el mecanismo respondió públicamente a cada una de "
                "ellas y los resultados se incorporaron al informe de mitad de período presentado "
                "voluntariamente."
            ),
            "ru": (
                "Национальный механизм по представлению докладов и последующей деятельности "
                "запросил мнение заинтересованных сторон о том, насколько осуществлены рекомендации "
                "третьего цикла, по каждой тематической группе. Комиссия по правам человека Веридии "
                "обобщила поступившие материалы, механизм публично ответил на каждый из них, а "
                "результаты были учтены в добровольном среднесрочном докладе."
            ),
            "ar": (
                "سألت الآلية الوطنية لتقديم التقارير والمتابعة أصحاب المصلحة عن مدى تنفيذ توصيات "
                "الجولة الثالثة، مجموعةً مواضيعية تلو الأخرى. ولخّصت لجنة حقوق الإنسان في فيريديا "
                "المساهمات، وردّت الآلية علناً على كل منها، واستُرشد بالنتائج في تقرير منتصف المدة "
                "المقدَّم طوعاً."
            ),
            "zh": (
                "国家报告和后续行动机制按主题分组征求利益攸关方对第三轮建议落实程度的意见。"
                "维里迪亚人权委员会汇总了各方意见，该机制逐一作出公开答复，协商结果已纳入自愿提交的中期报告。"
            ),
        },
        "state": "published",
        "opens_in_days": -420,
        "closes_in_days": -390,
        "eligibility": "public",
        "moderation_mode": "pre",
        "timezone": "America/Santiago",
        "clusters": ["C1", "C2", "C3", "C4", "C5", "C6"],
        "invited": [],
    },
    {
        "slug": "cycle4-pre-review",
        "stage": "pre_review",
        "cycle": 4,
        "title": {
            "en": "Consultation on the national report for the fourth cycle of the Universal Periodic Review",
            "fr": (
                "Consultation sur le rapport national pour le quatrième cycle de l'Examen périodique "
                "universel"
            ),
            "es": "Consulta sobre el informe nacional para el cuarto ciclo del Examen Periódico Universal",
            "ru": (
                "Консультация по национальному докладу для четвертого цикла универсального "
                "периодического обзора"
            ),
            "ar": "مشاورة بشأن التقرير الوطني للجولة الرابعة من الاستعراض الدوري الشامل",
            "zh": "关于第四轮普遍定期审议国家报告的协商",
        },
        "description": {
            "en": (
                "Before the Republic of Veridia is reviewed for the fourth time, the national "
                "mechanism for reporting and follow-up invites everyone to comment on the "
                "implementation of the recommendations received in the third cycle and on the draft "
                "national report. The Veridia Human Rights Commission will publish a summary of the "
                "contributions, the mechanism will answer publicly cluster by cluster, and the input "
                "will shape the national report."
            ),
            "fr": (
                "Avant le quatrième examen de la République de Veridia, le mécanisme national "
                "d'établissement des rapports et de suivi invite chacun à s'exprimer sur la mise en "
                "œuvre des recommandations reçues au cours du troisième cycle et sur le projet de "
                "rapport national. La Commission des droits de l'homme de Veridia publiera un résumé "
                "des contributions, le mécanisme répondra publiquement pour chaque groupe thématique "
                "et les contributions orienteront le rapport national."
            ),
            "es": (
                "Antes del cuarto examen de la República de Veridia, el mecanismo nacional de "
                "presentación de informes y seguimiento invita a todas las personas a formular "
                "observaciones sobre la aplicación de las recomendaciones recibidas en el tercer "
                "ciclo y sobre el proyecto de informe nacional. La Comisión de Derechos Humanos de "
                "Veridia publicará un resumen de las contribuciones, el mecanismo responderá "
                "públicamente para cada agrupación temática y las aportaciones servirán de base para "
                "el informe nacional."
            ),
            "ru": (
                "В преддверии четвертого обзора Республики Веридия национальный механизм по "
                "представлению докладов и последующей деятельности предлагает всем желающим "
                "высказаться об осуществлении рекомендаций, полученных в ходе третьего цикла, и о "
                "проекте национального доклада. Комиссия по правам человека Веридии опубликует "
                "резюме поступивших материалов, механизм публично ответит по каждой тематической "
                "группе, а полученные замечания будут учтены при подготовке национального доклада."
            ),
            "ar": (
                "قبل الاستعراض الرابع لجمهورية فيريديا، تدعو الآلية الوطنية لتقديم التقارير "
                "والمتابعة الجميع إلى إبداء ملاحظاتهم بشأن تنفيذ التوصيات التي تلقتها في الجولة "
                "الثالثة وبشأن مشروع التقرير الوطني. وستنشر لجنة حقوق الإنسان في فيريديا موجزاً "
                "للمساهمات، وسترد الآلية علناً على كل مجموعة مواضيعية، وسيُسترشد بالمساهمات في "
                "إعداد التقرير الوطني."
            ),
            "zh": (
                "在维里迪亚共和国接受第四次审议之前，国家报告和后续行动机制邀请所有人就第三轮所收到建议的"
                "落实情况以及国家报告草稿发表意见。维里迪亚人权委员会将公布意见摘要，该机制将按主题分组"
                "作出公开答复，所收到的意见将为国家报告提供依据。"
            ),
        },
        "state": "open",
        "opens_in_days": -10,
        "closes_in_days": 21,
        "eligibility": "public",
        "moderation_mode": "pre",
        "timezone": "America/Santiago",
        "clusters": ["C1", "C2", "C3", "C4", "C5", "C6"],
        "invited": [],
    },
    {
        "slug": "cycle4-pre-report",
        "stage": "pre_report",
        "cycle": 4,
        "title": {
            "en": "Pre-report consultation on the rights of women and children",
            "fr": "Consultation avant le rapport sur les droits des femmes et des enfants",
            "es": "Consulta antes del informe sobre los derechos de las mujeres y los niños",
            "ru": "Консультация до доклада по вопросам прав женщин и детей",
            "ar": "مشاورة قبل التقرير بشأن حقوق المرأة والطفل",
            "zh": "关于妇女和儿童权利的报告前协商",
        },
        "description": {
            "en": (
                "Before the State party submits its next periodic reports to the Committee on the "
                "Elimination of Discrimination against Women and the Committee on the Rights of the "
                "Child, the national mechanism for reporting and follow-up invites the Veridia Human "
                "Rights Commission and specialized non-governmental organizations to assess the "
                "follow-up to the concluding observations. Contributions are published at once and "
                "moderated afterwards; the Commission will summarize them and the mechanism will "
                "answer before the reports are finalized."
            ),
            "fr": (
                "Avant que l'État partie ne présente ses prochains rapports périodiques au Comité pour "
                "l'élimination de la discrimination à l'égard des femmes et au Comité des droits de "
                "l'enfant, le mécanisme national d'établissement des rapports et de suivi invite la "
                "Commission des droits de l'homme de Veridia et des organisations non "
                "gouvernementales spécialisées à évaluer le suivi des observations finales. Les "
                "contributions sont publiées immédiatement et modérées a posteriori ; la Commission "
                "les résumera et le mécanisme y répondra avant la finalisation des rapports."
            ),
            "es": (
                "Antes de que el Estado parte presente sus próximos informes periódicos al Comité "
                "para la Eliminación de la Discriminación contra la Mujer y al Comité de los Derechos "
                "del Niño, el mecanismo nacional de presentación de informes y seguimiento invita a la "
                "Comisión de Derechos Humanos de Veridia y a organizaciones no gubernamentales "
                "especializadas a evaluar el seguimiento de las observaciones finales. Las "
                "contribuciones se publican de inmediato y se moderan después; la Comisión las "
                "resumirá y el mecanismo responderá antes de que se ultimen los informes."
            ),
            "ru": (
                "До представления государством-участником очередных периодических докладов Комитету "
                "по ликвидации дискриминации в отношении женщин и Комитету по правам ребенка "
                "национальный механизм по представлению докладов и последующей деятельности "
                "предлагает Комиссии по правам человека Веридии и специализированным "
                "неправительственным организациям оценить ход последующей деятельности в связи с "
                "заключительными замечаниями. Материалы публикуются сразу и модерируются "
                "впоследствии; Комиссия обобщит их, а механизм ответит на них до завершения "
                "подготовки докладов."
            ),
            "ar": (
                "قبل أن تقدّم الدولة الطرف تقاريرها الدورية المقبلة إلى لجنة القضاء على التمييز ضد "
                "المرأة ولجنة حقوق الطفل، تدعو الآلية الوطنية لتقديم التقارير والمتابعة لجنة حقوق "
                "الإنسان في فيريديا ومنظمات غير حكومية متخصصة إلى تقييم متابعة الملاحظات الختامية. "
                "وتُنشر المساهمات فوراً وتخضع للإشراف لاحقاً؛ وستلخّصها اللجنة وسترد عليها الآلية "
                "قبل وضع التقارير في صيغتها النهائية."
            ),
            "zh": (
                "在缔约国向消除对妇女歧视委员会和儿童权利委员会提交下一次定期报告之前，"
                "国家报告和后续行动机制邀请维里迪亚人权委员会和专门的非政府组织评估结论性意见的"
                "后续行动情况。所提交的意见将立即发布并事后审核；委员会将对其进行汇总，"
                "该机制将在报告定稿前作出答复。"
            ),
        },
        "state": "scheduled",
        "opens_in_days": 200,
        "closes_in_days": 230,
        "eligibility": "invited",
        "moderation_mode": "post",
        "timezone": "America/Santiago",
        "clusters": ["C2", "C3"],
        "invited": [
            "Veridia Human Rights Commission",
            "Veridian Women's Rights Coalition",
            "Children First Veridia",
        ],
    },
]


#: What the published third-cycle mid-term round heard: (recommendation key or None for the round as a
#: whole, author: "contributor" | "individual" | "coalition" | "parliament", publication, language,
#: assessment, text). Moderated and published.
OUTCOME_COMMENTS = [
    (
        "upr3-121.80",
        "contributor",
        "named",
        "en",
        "partly",
        "The Optional Protocol was ratified in 2023, but the national preventive mechanism has only two "
        "inspectors for forty places of detention. Unannounced visits to police stations have not started.",
    ),
    (
        "upr3-121.80",
        "individual",
        "anonymous",
        "ar",
        "not_started",
        "يخشى المحتجزون التحدث إلى المفتشين لأن الحراس يحضرون المقابلات.",
    ),
    (
        "upr3-121.31",
        "coalition",
        "organisation",
        "es",
        "partly",
        "El proyecto de ley contra la discriminación no incluye la discriminación indirecta ni prevé "
        "recursos efectivos para las víctimas.",
    ),
    (
        "upr3-121.31",
        "parliament",
        "named",
        "en",
        "partly",
        "The committee held two hearings on the anti-discrimination bill; its second reading is planned "
        "for the spring session.",
    ),
    (
        None,
        "individual",
        "confidential",
        "en",
        None,
        "I was questioned by the police after I spoke at the regional hearing. Please do not publish this.",
    ),
]

#: The extra people behind the demo's past input: they never sign in (no password).
OUTCOME_PEOPLE = {
    "coalition": ("Dolores Ruiz", "Veridian Women's Rights Coalition"),
    "parliament": ("Jonas Berg", "Human Rights Committee of the National Assembly"),
}

#: The NHRI's summary of that round: its points (about a recommendation key, or None for the round as a
#: whole), the comments each quotes (by their place in OUTCOME_COMMENTS), and the mechanism's answer.
OUTCOME_SUMMARY = {
    "title": "What the Commission heard at mid-term",
    "introduction": (
        "Over four weeks, the Commission received contributions from civil society organisations, a "
        "parliamentary committee and individuals. Most said that implementation has begun but is "
        "incomplete. Contributions sent in confidence, if any, are neither quoted nor counted in the public "
        "figures."
    ),
    "points": [
        {
            "recommendation": "upr3-121.80",
            "heading": "Prevention of torture",
            "body": "The national preventive mechanism exists but cannot visit places of detention often "
            "enough, and detainees are not heard in private.",
            "quotes": [0, 1],
            "outcome": "partly",
            "entity": "Ministry of Justice",
            "explanation": "Four inspector posts are funded in the 2025 budget; interviews in private are "
            "now required by a decree of the Minister of Justice.",
        },
        {
            "recommendation": "upr3-121.31",
            "heading": "Anti-discrimination legislation",
            "body": "Contributors ask that the bill cover indirect discrimination and give victims "
            "effective remedies.",
            "quotes": [2, 3],
            "outcome": "taken_into_account",
            "entity": "Ministry of Labour and Social Affairs",
            "explanation": "The Government's amendments to the bill add indirect discrimination and a "
            "complaints procedure before the Equality Ombudsperson.",
        },
    ],
}
