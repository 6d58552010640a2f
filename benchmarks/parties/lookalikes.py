"""Real, unsanctioned companies that share a word (or a near spelling) with entities on the sanctions lists.

Written from public knowledge before any tuning of the matcher (issue 14): chipmakers, industrial groups, banks,
shipping, airlines, trading and holding companies in the EU, US, Asia, the Gulf and Central Asia, each with its
country (ISO 3166-1 alpha-2). None of them is on the OFAC SDN, OFAC non-SDN, UN or OpenSanctions excerpts in
../shared/sources at the time of writing; `extended_source.py` drops any that an exact alias lookup finds on
those lists, and keeps every third one (by position) as the untouched `check` split.
"""

LOOKALIKES = """
Micron Technology Inc|US
Microchip Technology Inc|US
MikroElektronika d.o.o.|RS
United Microelectronics Corporation|TW
Novatek Microelectronics Corp|TW
Elan Microelectronics Corp|TW
STMicroelectronics NV|NL
Alpha and Omega Semiconductor Ltd|US
Alpha Metallurgical Resources Inc|US
Alpha Services and Holdings SA|GR
Alpha Pro Tech Ltd|US
Alfa Laval AB|SE
Alfa Romeo Automobiles SpA|IT
Delta Electronics Inc|TW
Delta Air Lines Inc|US
Sigma Designs Inc|US
Atlas Copco AB|SE
Atlas Air Worldwide Holdings Inc|US
Zenith Bank plc|NG
Polar Electro Oy|FI
Orion Oyj|FI
Orion Engineered Carbons SA|LU
Orion Group Holdings Inc|US
Orion Energy Systems Inc|US
Star Bulk Carriers Corp|GR
Star Micronics Co Ltd|JP
Star Entertainment Group Ltd|AU
Star Health and Allied Insurance Co Ltd|IN
Star Cement Ltd|IN
Star Alliance Services GmbH|DE
Star Equity Holdings Inc|US
Spectrum Brands Holdings Inc|US
Optima Packaging Group GmbH|DE
Optima Bank OJSC|KG
Phoenix Contact GmbH & Co KG|DE
Phoenix Group Holdings plc|GB
Emerald Holding Inc|US
Antares Vision SpA|IT
Planar Systems Inc|US
Sirius XM Holdings Inc|US
Vega Grieshaber KG|DE
Vector Informatik GmbH|DE
Vector Group Ltd|US
Vector Limited|NZ
Granite Construction Inc|US
Progress Software Corporation|US
Integral Ad Science Holding Corp|US
Atlantia SpA|IT
Comet Holding AG|CH
VNV Global AB|SE
Vostok Emerging Finance Ltd|BM
Pacific Basin Shipping Ltd|HK
Golden Ocean Group Ltd|BM
Eagle Bulk Shipping Inc|US
Navios Maritime Holdings Inc|GR
Safe Bulkers Inc|GR
Diana Shipping Inc|GR
Euroseas Ltd|GR
Global Ship Lease Inc|GB
Danaos Corporation|GR
Costamare Inc|GR
Genco Shipping & Trading Ltd|US
International Seaways Inc|US
Scorpio Tankers Inc|MC
Teekay Corporation|BM
Frontline plc|CY
Euronav NV|BE
Nordic American Tankers Ltd|BM
Ardmore Shipping Corporation|IE
Dorian LPG Ltd|US
Wallenius Wilhelmsen ASA|NO
Stolt-Nielsen Ltd|BM
Odfjell SE|NO
Orient Overseas (International) Ltd|HK
Evergreen Marine Corporation (Taiwan) Ltd|TW
Yang Ming Marine Transport Corporation|TW
Wan Hai Lines Ltd|TW
Pacific International Lines Pte Ltd|SG
Hapag-Lloyd AG|DE
Mediterranean Shipping Company SA|CH
Gulf Navigation Holding PJSC|AE
National Bank of Greece SA|GR
Commercial Bank of Dubai PSC|AE
Emirates NBD Bank PJSC|AE
First Abu Dhabi Bank PJSC|AE
TBC Bank Group plc|GE
Bank of Georgia Group plc|GE
Halyk Bank of Kazakhstan JSC|KZ
Kaspi Bank JSC|KZ
Bank CenterCredit JSC|KZ
Eurasian Bank JSC|KZ
ForteBank JSC|KZ
Jusan Bank JSC|KZ
Freedom Holding Corp|US
Asia Alliance Bank JSC|UZ
Hamkorbank JSC|UZ
Kapitalbank JSC|UZ
Ameriabank CJSC|AM
Ardshinbank CJSC|AM
Evocabank CJSC|AM
Bakai Bank OJSC|KG
Demir Kyrgyz International Bank CJSC|KG
Raiffeisen Bank International AG|AT
UniCredit SpA|IT
Intesa Sanpaolo SpA|IT
Credit Agricole SA|FR
Commerzbank AG|DE
Deutsche Bank AG|DE
Industrial Bank of Korea|KR
Korea Development Bank|KR
Export-Import Bank of India|IN
Bank of China Ltd|CN
China Construction Bank Corporation|CN
Agricultural Bank of China Ltd|CN
Development Bank of Japan Inc|JP
Commercial International Bank (Egypt) SAE|EG
Arab Bank plc|JO
National Bank of Kuwait SAK|KW
Qatar National Bank QPSC|QA
Gulf Bank KSC|KW
Bank Muscat SAOG|OM
Bank of Cyprus Holdings plc|CY
Hellenic Bank Public Company Ltd|CY
Eurobank Ergasias Services and Holdings SA|GR
Piraeus Financial Holdings SA|GR
Turkiye Is Bankasi AS|TR
Akbank TAS|TR
Yapi ve Kredi Bankasi AS|TR
Turkiye Garanti Bankasi AS|TR
T.C. Ziraat Bankasi AS|TR
Kuveyt Turk Katilim Bankasi AS|TR
Siemens Energy AG|DE
Siemens AG|DE
ABB Ltd|CH
Schneider Electric SE|FR
Rheinmetall AG|DE
Thales SA|FR
Leonardo SpA|IT
Safran SA|FR
Airbus SE|NL
The Boeing Company|US
Lockheed Martin Corporation|US
General Electric Company|US
Honeywell International Inc|US
Mitsubishi Heavy Industries Ltd|JP
Kawasaki Heavy Industries Ltd|JP
HD Hyundai Heavy Industries Co Ltd|KR
Samsung Electronics Co Ltd|KR
LG Electronics Inc|KR
Hitachi Ltd|JP
Toshiba Corporation|JP
Fujitsu Ltd|JP
NEC Corporation|JP
Kyocera Corporation|JP
Murata Manufacturing Co Ltd|JP
TDK Corporation|JP
Rohm Co Ltd|JP
Renesas Electronics Corporation|JP
Infineon Technologies AG|DE
NXP Semiconductors NV|NL
Texas Instruments Incorporated|US
Analog Devices Inc|US
Skyworks Solutions Inc|US
Qorvo Inc|US
Diodes Incorporated|US
Vishay Intertechnology Inc|US
Amphenol Corporation|US
TE Connectivity Ltd|CH
Molex LLC|US
Littelfuse Inc|US
Tokyo Electron Ltd|JP
ASML Holding NV|NL
Applied Materials Inc|US
Lam Research Corporation|US
KLA Corporation|US
Teradyne Inc|US
Advantest Corporation|JP
Keysight Technologies Inc|US
Rohde & Schwarz GmbH & Co KG|DE
Tektronix Inc|US
National Instruments Corporation|US
Yokogawa Electric Corporation|JP
Hioki E.E. Corporation|JP
Fluke Corporation|US
DMG Mori Co Ltd|JP
Okuma Corporation|JP
Makino Milling Machine Co Ltd|JP
Trumpf SE + Co KG|DE
Haas Automation Inc|US
Sandvik AB|SE
SKF AB|SE
Schaeffler AG|DE
NSK Ltd|JP
NTN Corporation|JP
JTEKT Corporation|JP
The Timken Company|US
Taiwan Semiconductor Manufacturing Company Ltd|TW
Global Unichip Corp|TW
GlobalFoundries Inc|US
Powerchip Semiconductor Manufacturing Corp|TW
Nanya Technology Corporation|TW
Winbond Electronics Corporation|TW
Macronix International Co Ltd|TW
MediaTek Inc|TW
Realtek Semiconductor Corp|TW
Holtek Semiconductor Inc|TW
Nuvoton Technology Corporation|TW
Silicon Motion Technology Corp|TW
Kazakhtelecom JSC|KZ
National Company KazMunayGas JSC|KZ
National Atomic Company Kazatomprom JSC|KZ
Air Astana JSC|KZ
Uzbekistan Airways JSC|UZ
Almalyk Mining and Metallurgical Complex JSC|UZ
Navoi Mining and Metallurgical Company|UZ
Uzbekneftegaz JSC|UZ
Kyrgyzaltyn OJSC|KG
Kcell JSC|KZ
Eurasian Resources Group Sarl|LU
KEGOC JSC|KZ
Samruk-Kazyna JSC|KZ
National Company Kazakhstan Temir Zholy JSC|KZ
Air Arabia PJSC|AE
Dubai Aerospace Enterprise Ltd|AE
DP World Ltd|AE
Emirates Global Aluminium PJSC|AE
Gulf Air Company|BH
Aramex PJSC|AE
Abu Dhabi National Oil Company|AE
Majid Al Futtaim Holding LLC|AE
Al Ghurair Investment LLC|AE
Emirates Trading Agency LLC|AE
Al Tayer Group LLC|AE
Galadari Brothers Co LLC|AE
Aselsan Elektronik Sanayi ve Ticaret AS|TR
Turk Hava Yollari AO|TR
Koc Holding AS|TR
Haci Omer Sabanci Holding AS|TR
Arcelik AS|TR
Vestel Elektronik Sanayi ve Ticaret AS|TR
Tupras Turkiye Petrol Rafinerileri AS|TR
Ford Otomotiv Sanayi AS|TR
Eregli Demir ve Celik Fabrikalari TAS|TR
Turkcell Iletisim Hizmetleri AS|TR
Lenovo Group Ltd|HK
Haier Smart Home Co Ltd|CN
BYD Company Ltd|CN
Xiaomi Corporation|CN
Li & Fung Ltd|HK
Jardine Matheson Holdings Ltd|BM
Swire Pacific Ltd|HK
CK Hutchison Holdings Ltd|HK
Cathay Pacific Airways Ltd|HK
MTR Corporation Ltd|HK
Power Assets Holdings Ltd|HK
CLP Holdings Ltd|HK
Sun Hung Kai Properties Ltd|HK
Hang Lung Properties Ltd|HK
VTech Holdings Ltd|HK
Johnson Electric Holdings Ltd|HK
ASMPT Ltd|HK
Techtronic Industries Co Ltd|HK
Tata Steel Ltd|IN
Larsen & Toubro Ltd|IN
Bharat Electronics Ltd|IN
Reliance Industries Ltd|IN
Hindustan Aeronautics Ltd|IN
Mahindra & Mahindra Ltd|IN
Bharat Heavy Electricals Ltd|IN
Infosys Ltd|IN
Robert Bosch GmbH|DE
Continental AG|DE
ZF Friedrichshafen AG|DE
Thyssenkrupp AG|DE
Salzgitter AG|DE
Voestalpine AG|AT
Linde plc|IE
BASF SE|DE
Henkel AG & Co KGaA|DE
Carl Zeiss AG|DE
Jenoptik AG|DE
Leica Camera AG|DE
Festo SE & Co KG|DE
KUKA AG|DE
Heidelberger Druckmaschinen AG|DE
Krones AG|DE
GEA Group AG|DE
Durr AG|DE
Aixtron SE|DE
Siltronic AG|DE
Elmos Semiconductor SE|DE
Vossloh AG|DE
Knorr-Bremse AG|DE
Hensoldt AG|DE
Diehl Stiftung & Co KG|DE
MTU Aero Engines AG|DE
Lufthansa Technik AG|DE
Airbus Helicopters SAS|FR
Dassault Aviation SA|FR
Embraer SA|BR
Bombardier Inc|CA
Textron Aviation Inc|US
Pilatus Aircraft Ltd|CH
Avio SpA|IT
Glencore plc|CH
Trafigura Group Pte Ltd|SG
Vitol Holding BV|NL
Mercuria Energy Group Ltd|CH
Kuehne + Nagel International AG|CH
Swiss Re AG|CH
Holcim Ltd|CH
Sika AG|CH
Schindler Holding AG|CH
Georg Fischer AG|CH
Sulzer Ltd|CH
OC Oerlikon Corporation AG|CH
Stadler Rail AG|CH
Bucher Industries AG|CH
Landis+Gyr Group AG|CH
Inficon Holding AG|CH
u-blox Holding AG|CH
Huber+Suhner AG|CH
LEM Holding SA|CH
Belimo Holding AG|CH
VAT Group AG|CH
Tecan Group AG|CH
Partners Group Holding AG|CH
Julius Baer Group Ltd|CH
UBS Group AG|CH
Vontobel Holding AG|CH
EFG International AG|CH
Sequoia Capital Operations LLC|US
Index Ventures SA|CH
Atomico Ltd|GB
Balderton Capital (UK) LLP|GB
Accel Partners LP|US
Lightspeed Venture Partners|US
General Catalyst Partners LLC|US
Northzone Ventures AB|SE
Earlybird Venture Capital GmbH|DE
HV Capital Manager GmbH|DE
Enel Energia SpA|IT
Grupo Aeromexico SAB de CV|MX
Aer Lingus Group DAC|IE
Aerolineas Argentinas SA|AR
Avianca Group International Ltd|CO
Maschinenfabrik Reinhausen GmbH|DE
Radiometer Medical ApS|DK
Radiall SA|FR
Elektrobit Automotive GmbH|DE
Baltic Exchange Ltd|GB
Progressive Corporation|US
Sigma-Aldrich Corporation|US
Zenith Electronics LLC|US
Granite Falls Energy LLC|US
Atlas Elektronik GmbH|DE
Orion Electric Co Ltd|JP
Star Shipping AS|NO
Sirius Computer Solutions Inc|US
Pulsar Informatics Inc|US
Titan International Inc|US
Titan Cement International SA|BE
Crystal Group Inc|US
Diamond Offshore Drilling Inc|US
Eagle Materials Inc|US
Falcon Oil & Gas Ltd|IE
Horizon Therapeutics plc|IE
Quantum Corporation|US
Matrix Service Company|US
Vertex Pharmaceuticals Inc|US
Signal Iduna Gruppe|DE
Meteor Inkjet Ltd|GB
Impulse Dynamics NV|US
Nova Ltd|IL
Avangrid Inc|US
Arctic Cat Inc|US
Polar Power Inc|US
Progress Rail Services Corporation|US
Signal Hill Petroleum Inc|US
Spectrum Pharmaceuticals Inc|US
Emerald Technology Ventures AG|CH
Start Today Co Ltd|JP
Phoenix Mecano AG|CH
Avangard Innovative LP|US
Orion S.A.|LU
Kuwait Petroleum Corporation|KW
Saudi Basic Industries Corporation|SA
Qatar Airways Group QCSC|QA
Etihad Airways PJSC|AE
Korea Shipbuilding & Offshore Engineering Co Ltd|KR
Samsung Heavy Industries Co Ltd|KR
Hanwha Aerospace Co Ltd|KR
Korea Aerospace Industries Ltd|KR
Doosan Enerbility Co Ltd|KR
POSCO Holdings Inc|KR
Hyundai Steel Company|KR
SK Hynix Inc|KR
Samsung SDI Co Ltd|KR
Nippon Steel Corporation|JP
JFE Steel Corporation|JP
Sumitomo Electric Industries Ltd|JP
Mitsubishi Electric Corporation|JP
Panasonic Holdings Corporation|JP
Sony Group Corporation|JP
Canon Inc|JP
Nikon Corporation|JP
Olympus Corporation|JP
Shin-Etsu Chemical Co Ltd|JP
Sumitomo Mitsui Banking Corporation|JP
Mizuho Bank Ltd|JP
MUFG Bank Ltd|JP
Nippon Yusen Kabushiki Kaisha|JP
Mitsui O.S.K. Lines Ltd|JP
Kawasaki Kisen Kaisha Ltd|JP
Ocean Network Express Pte Ltd|SG
Singapore Technologies Engineering Ltd|SG
DBS Bank Ltd|SG
United Overseas Bank Ltd|SG
Oversea-Chinese Banking Corporation Ltd|SG
Standard Chartered plc|GB
HSBC Holdings plc|GB
Barclays Bank plc|GB
BAE Systems plc|GB
Rolls-Royce Holdings plc|GB
Babcock International Group plc|GB
Smiths Group plc|GB
Spirax-Sarco Engineering plc|GB
Renishaw plc|GB
Oxford Instruments plc|GB
Ultra Electronics Holdings plc|GB
Chemring Group plc|GB
QinetiQ Group plc|GB
Kongsberg Gruppen ASA|NO
Naval Group SA|FR
Nexter Systems SA|FR
Indra Sistemas SA|ES
Navantia SA|ES
Fincantieri SpA|IT
Iveco Defence Vehicles SpA|IT
Elettronica SpA|IT
Leonardo DRS Inc|US
General Dynamics Corporation|US
Northrop Grumman Corporation|US
RTX Corporation|US
L3Harris Technologies Inc|US
Textron Inc|US
Huntington Ingalls Industries Inc|US
AeroVironment Inc|US
Kratos Defense & Security Solutions Inc|US
Mercury Systems Inc|US
Curtiss-Wright Corporation|US
Moog Inc|US
TransDigm Group Inc|US
Parker-Hannifin Corporation|US
Emerson Electric Co|US
Rockwell Automation Inc|US
Eaton Corporation plc|IE
Corning Incorporated|US
Coherent Corp|US
IPG Photonics Corporation|US
Lumentum Holdings Inc|US
Ciena Corporation|US
Juniper Networks Inc|US
Cisco Systems Inc|US
Intel Corporation|US
Advanced Micro Devices Inc|US
Nvidia Corporation|US
Broadcom Inc|US
Qualcomm Incorporated|US
Marvell Technology Inc|US
Lattice Semiconductor Corporation|US
Silicon Laboratories Inc|US
Monolithic Power Systems Inc|US
Power Integrations Inc|US
Wolfspeed Inc|US
ON Semiconductor Corporation|US
Cirrus Logic Inc|US
Synaptics Incorporated|US
Semtech Corporation|US
""".strip().splitlines()
