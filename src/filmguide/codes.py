"""Country and language codes for ``countries`` and ``languages``.

Countries are ISO 3166-1 alpha-2 codes, upper case (``FR``, ``KR``); the
countries a film was made in that no longer exist keep the alpha-2 code they
had (``SU`` for the Soviet Union, ``CS`` for Czechoslovakia, ``DD`` for East
Germany, ``YU`` for Yugoslavia and a few more; ISO 3166-3 lists them).
Languages are ISO 639-1 codes, lower case (``fr``, ``ko``). Each code comes
with an English name, for messages and for ``list --country france``.
"""

from __future__ import annotations

from functools import cache

_COUNTRIES = """\
AD Andorra | AE United Arab Emirates | AF Afghanistan | AG Antigua and Barbuda | AI Anguilla | AL Albania | AM
Armenia | AO Angola | AQ Antarctica | AR Argentina | AS American Samoa | AT Austria | AU Australia | AW Aruba |
AX Åland Islands | AZ Azerbaijan | BA Bosnia and Herzegovina | BB Barbados | BD Bangladesh | BE Belgium | BF
Burkina Faso | BG Bulgaria | BH Bahrain | BI Burundi | BJ Benin | BL Saint Barthélemy | BM Bermuda | BN Brunei
Darussalam | BO Bolivia | BQ Bonaire, Sint Eustatius and Saba | BR Brazil | BS Bahamas | BT Bhutan | BV Bouvet
Island | BW Botswana | BY Belarus | BZ Belize | CA Canada | CC Cocos (Keeling) Islands | CD Congo, The
Democratic Republic of the | CF Central African Republic | CG Congo | CH Switzerland | CI Côte d'Ivoire | CK
Cook Islands | CL Chile | CM Cameroon | CN China | CO Colombia | CR Costa Rica | CU Cuba | CV Cabo Verde | CW
Curaçao | CX Christmas Island | CY Cyprus | CZ Czechia | DE Germany | DJ Djibouti | DK Denmark | DM Dominica |
DO Dominican Republic | DZ Algeria | EC Ecuador | EE Estonia | EG Egypt | EH Western Sahara | ER Eritrea | ES
Spain | ET Ethiopia | FI Finland | FJ Fiji | FK Falkland Islands (Malvinas) | FM Micronesia, Federated States of
| FO Faroe Islands | FR France | GA Gabon | GB United Kingdom | GD Grenada | GE Georgia | GF French Guiana | GG
Guernsey | GH Ghana | GI Gibraltar | GL Greenland | GM Gambia | GN Guinea | GP Guadeloupe | GQ Equatorial Guinea
| GR Greece | GS South Georgia and the South Sandwich Islands | GT Guatemala | GU Guam | GW Guinea-Bissau | GY
Guyana | HK Hong Kong | HM Heard Island and McDonald Islands | HN Honduras | HR Croatia | HT Haiti | HU Hungary
| ID Indonesia | IE Ireland | IL Israel | IM Isle of Man | IN India | IO British Indian Ocean Territory | IQ
Iraq | IR Iran | IS Iceland | IT Italy | JE Jersey | JM Jamaica | JO Jordan | JP Japan | KE Kenya | KG
Kyrgyzstan | KH Cambodia | KI Kiribati | KM Comoros | KN Saint Kitts and Nevis | KP North Korea | KR South Korea
| KW Kuwait | KY Cayman Islands | KZ Kazakhstan | LA Laos | LB Lebanon | LC Saint Lucia | LI Liechtenstein | LK
Sri Lanka | LR Liberia | LS Lesotho | LT Lithuania | LU Luxembourg | LV Latvia | LY Libya | MA Morocco | MC
Monaco | MD Moldova | ME Montenegro | MF Saint Martin (French part) | MG Madagascar | MH Marshall Islands | MK
North Macedonia | ML Mali | MM Myanmar | MN Mongolia | MO Macao | MP Northern Mariana Islands | MQ Martinique |
MR Mauritania | MS Montserrat | MT Malta | MU Mauritius | MV Maldives | MW Malawi | MX Mexico | MY Malaysia | MZ
Mozambique | NA Namibia | NC New Caledonia | NE Niger | NF Norfolk Island | NG Nigeria | NI Nicaragua | NL
Netherlands | NO Norway | NP Nepal | NR Nauru | NU Niue | NZ New Zealand | OM Oman | PA Panama | PE Peru | PF
French Polynesia | PG Papua New Guinea | PH Philippines | PK Pakistan | PL Poland | PM Saint Pierre and Miquelon
| PN Pitcairn | PR Puerto Rico | PS Palestine, State of | PT Portugal | PW Palau | PY Paraguay | QA Qatar | RE
Réunion | RO Romania | RS Serbia | RU Russian Federation | RW Rwanda | SA Saudi Arabia | SB Solomon Islands | SC
Seychelles | SD Sudan | SE Sweden | SG Singapore | SH Saint Helena, Ascension and Tristan da Cunha | SI Slovenia
| SJ Svalbard and Jan Mayen | SK Slovakia | SL Sierra Leone | SM San Marino | SN Senegal | SO Somalia | SR
Suriname | SS South Sudan | ST Sao Tome and Principe | SV El Salvador | SX Sint Maarten (Dutch part) | SY Syria
| SZ Eswatini | TC Turks and Caicos Islands | TD Chad | TF French Southern Territories | TG Togo | TH Thailand |
TJ Tajikistan | TK Tokelau | TL Timor-Leste | TM Turkmenistan | TN Tunisia | TO Tonga | TR Türkiye | TT Trinidad
and Tobago | TV Tuvalu | TW Taiwan | TZ Tanzania | UA Ukraine | UG Uganda | UM United States Minor Outlying
Islands | US United States | UY Uruguay | UZ Uzbekistan | VA Holy See (Vatican City State) | VC Saint Vincent
and the Grenadines | VE Venezuela | VG Virgin Islands, British | VI Virgin Islands, U.S. | VN Vietnam | VU
Vanuatu | WF Wallis and Futuna | WS Samoa | YE Yemen | YT Mayotte | ZA South Africa | ZM Zambia | ZW Zimbabwe
"""

_FORMER_COUNTRIES = """\
AN Netherlands Antilles | BU Burma | CS Czechoslovakia | DD East Germany | DY Dahomey | HV Upper Volta | NH New
Hebrides | RH Southern Rhodesia | SU Soviet Union | TP East Timor | VD North Vietnam | YD South Yemen | YU
Yugoslavia | ZR Zaire
"""

_LANGUAGES = """\
aa Afar | ab Abkhazian | ae Avestan | af Afrikaans | ak Akan | am Amharic | an Aragonese | ar Arabic | as
Assamese | av Avaric | ay Aymara | az Azerbaijani | ba Bashkir | be Belarusian | bg Bulgarian | bh Bihari
languages | bi Bislama | bm Bambara | bn Bengali | bo Tibetan | br Breton | bs Bosnian | ca Catalan | ce Chechen
| ch Chamorro | co Corsican | cr Cree | cs Czech | cu Church Slavic | cv Chuvash | cy Welsh | da Danish | de
German | dv Divehi | dz Dzongkha | ee Ewe | el Greek | en English | eo Esperanto | es Spanish | et Estonian | eu
Basque | fa Persian | ff Fulah | fi Finnish | fj Fijian | fo Faroese | fr French | fy Western Frisian | ga Irish
| gd Gaelic | gl Galician | gn Guarani | gu Gujarati | gv Manx | ha Hausa | he Hebrew | hi Hindi | ho Hiri Motu
| hr Croatian | ht Haitian | hu Hungarian | hy Armenian | hz Herero | ia Interlingua | id Indonesian | ie
Interlingue | ig Igbo | ii Sichuan Yi | ik Inupiaq | io Ido | is Icelandic | it Italian | iu Inuktitut | ja
Japanese | jv Javanese | ka Georgian | kg Kongo | ki Kikuyu | kj Kuanyama | kk Kazakh | kl Kalaallisut | km
Central Khmer | kn Kannada | ko Korean | kr Kanuri | ks Kashmiri | ku Kurdish | kv Komi | kw Cornish | ky
Kirghiz | la Latin | lb Luxembourgish | lg Ganda | li Limburgan | ln Lingala | lo Lao | lt Lithuanian | lu
Luba-Katanga | lv Latvian | mg Malagasy | mh Marshallese | mi Maori | mk Macedonian | ml Malayalam | mn
Mongolian | mr Marathi | ms Malay | mt Maltese | my Burmese | na Nauru | nb Norwegian Bokmål | nd North Ndebele
| ne Nepali | ng Ndonga | nl Dutch | nn Norwegian Nynorsk | no Norwegian | nr South Ndebele | nv Navajo | ny
Chichewa | oc Occitan | oj Ojibwa | om Oromo | or Oriya | os Ossetian | pa Panjabi | pi Pali | pl Polish | ps
Pushto | pt Portuguese | qu Quechua | rm Romansh | rn Rundi | ro Romanian | ru Russian | rw Kinyarwanda | sa
Sanskrit | sc Sardinian | sd Sindhi | se Northern Sami | sg Sango | si Sinhala | sk Slovak | sl Slovenian | sm
Samoan | sn Shona | so Somali | sq Albanian | sr Serbian | ss Swati | st Southern Sotho | su Sundanese | sv
Swedish | sw Swahili | ta Tamil | te Telugu | tg Tajik | th Thai | ti Tigrinya | tk Turkmen | tl Tagalog | tn
Tswana | to Tonga | tr Turkish | ts Tsonga | tt Tatar | tw Twi | ty Tahitian | ug Uighur | uk Ukrainian | ur
Urdu | uz Uzbek | ve Venda | vi Vietnamese | vo Volapük | wa Walloon | wo Wolof | xh Xhosa | yi Yiddish | yo
Yoruba | za Zhuang | zh Chinese | zu Zulu
"""


def _table(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in " ".join(text.split()).split(" | "):
        code, name = entry.split(" ", 1)
        out[code] = name
    return out


@cache
def countries() -> dict[str, str]:
    """Every accepted country code (current and former) and its English name."""
    return {**_table(_COUNTRIES), **_table(_FORMER_COUNTRIES)}


@cache
def languages() -> dict[str, str]:
    """Every ISO 639-1 language code and its English name."""
    return _table(_LANGUAGES)


# Names people use that are not a table entry's name.
_COUNTRY_NAMES = {
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "usa": "US",
    "united states of america": "US",
    "america": "US",
    "ussr": "SU",
    "russia": "RU",
    "west germany": "DE",
    "korea": "KR",
}


def _lookup(table: dict[str, str], text: str, upper: bool) -> str | None:
    wanted = text.strip()
    code = wanted.upper() if upper else wanted.lower()
    if code in table:
        return code
    folded = wanted.casefold()
    if upper and folded in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[folded]
    for code, name in table.items():
        if name.casefold() == folded:
            return code
    return None


def country_code(text: str) -> str | None:
    """``fr``, ``FR`` or ``France`` -> ``FR``; None if it names no country."""
    return _lookup(countries(), text, upper=True)


def language_code(text: str) -> str | None:
    """``KO``, ``ko`` or ``Korean`` -> ``ko``; None if it names no language."""
    return _lookup(languages(), text, upper=False)
