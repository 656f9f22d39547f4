/* kefu-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo data. Each ticket of the table below is a scenario: who the customer is, what they
 * said, how far the case got and how it ended. A scenario becomes a plan — the list of workflow
 * steps (create, contact, assign, accept, status, note, resolve, confirm) with their actors and
 * the time between them, drawn from a GRand with a fixed seed — and the plan is replayed through
 * the real operations of kefu-ticket-ops.h at the time of each step. Closed and cancelled tickets
 * are placed in the past three weeks; open ones end a chosen time before @now so that their SLA
 * clocks read ok, warning or breached at @now, as the scenario asks.
 */
#include "config.h"

#include <string.h>

#include "kefu-demo.h"
#include "kefu-error.h"
#include "kefu-ticket-ops.h"
#include "kefu-ticket-repo.h"
#include "kefu-user.h"
#include "kefu-validate.h"

#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

#define DEMO_RANDOM_SEED 20240520

/* ---- accounts ---------------------------------------------------------------------------- */

static const KefuDemoAccount accounts[] = {
  { "admin", "系统管理员", "admin", "technical" },
  { "supervisor", "售后主管 王敏", "supervisor", "customer_service" },
  { "supervisor2", "Li Qiang", "supervisor", "technical" },
  { "agent", "客服专员 张丽", "agent", "customer_service" },
  { "agent2", "Emma Chen", "agent", "customer_service" },
  { "technician", "维修工程师 刘强", "technician", "technical" },
  { "technician2", "Zhao Lei", "technician", "technical" },
  { "technician3", "陈静", "technician", "logistics" },
  { "manager", "售后总监 孙伟", "manager", "customer_service" },
};

enum {
  ACCOUNT_ADMIN,
  ACCOUNT_SUPERVISOR,
  ACCOUNT_SUPERVISOR2,
  ACCOUNT_AGENT,
  ACCOUNT_AGENT2,
  ACCOUNT_TECHNICIAN,
  ACCOUNT_TECHNICIAN2,
  ACCOUNT_TECHNICIAN3,
  ACCOUNT_MANAGER,
  N_ACCOUNTS
};

G_STATIC_ASSERT (G_N_ELEMENTS (accounts) == N_ACCOUNTS);

const KefuDemoAccount *
kefu_demo_get_accounts (guint *n_accounts)
{
  if (n_accounts != NULL)
    *n_accounts = G_N_ELEMENTS (accounts);
  return accounts;
}

/* ---- products ---------------------------------------------------------------------------- */

typedef struct {
  const char *code;
  const char *zh;
  const char *en;
} DemoProduct;

enum {
  KX200, RF550, WM80, AC35, TV65Q, DW12, MW25, WH60, RC10, VC300, HD1800, CM05, IH22, DH16,
  RO400, N_PRODUCTS
};

static const DemoProduct products[] = {
  [KX200] = { "KX-200", "空气净化器", "air purifier" },
  [RF550] = { "RF-550", "冰箱", "refrigerator" },
  [WM80] = { "WM-80", "洗衣机", "washing machine" },
  [AC35] = { "AC-35", "空调", "air conditioner" },
  [TV65Q] = { "TV-65Q", "液晶电视", "TV" },
  [DW12] = { "DW-12", "洗碗机", "dishwasher" },
  [MW25] = { "MW-25", "微波炉", "microwave oven" },
  [WH60] = { "WH-60", "电热水器", "water heater" },
  [RC10] = { "RC-10", "扫地机器人", "robot vacuum" },
  [VC300] = { "VC-300", "吸尘器", "vacuum cleaner" },
  [HD1800] = { "HD-1800", "吹风机", "hair dryer" },
  [CM05] = { "CM-05", "咖啡机", "coffee machine" },
  [IH22] = { "IH-22", "电磁炉", "induction cooker" },
  [DH16] = { "DH-16", "除湿机", "dehumidifier" },
  [RO400] = { "RO-400", "净水器", "water purifier" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (products) == N_PRODUCTS);

/* ---- scenarios --------------------------------------------------------------------------- */

/* Where an open ticket's clocks should stand at @now. */
typedef enum {
  CLOCK_OK,
  CLOCK_WARNING,
  CLOCK_BREACHED,
} DemoClock;

enum {
  DEMO_SLOW        = 1 << 0,  /* the first customer contact came after the response target */
  DEMO_REPRIORITIZE = 1 << 1, /* registered one level lower; the supervisor raised it */
  DEMO_PARTS       = 1 << 2,  /* waited for parts on the way */
  DEMO_WAITED      = 1 << 3,  /* waited for the customer on the way */
  DEMO_CONTACTED   = 1 << 4,  /* new ticket: the agent already called back */
  DEMO_REOPEN      = 1 << 5,  /* the customer rejected a first resolution (first_*) */
  DEMO_DUPLICATE   = 1 << 6,  /* the same customer and problem as the previous scenario */
  DEMO_STALE       = 1 << 7,  /* open and left lying for days */
  DEMO_LATE_CONFIRM = 1 << 8, /* the confirmation call came the next day */
  DEMO_TRIED       = 1 << 9,  /* DEMO_REOPEN: the customer tried the first fix for a day */
};

typedef struct {
  KefuStatus          status;
  DemoClock           clock;          /* open and resolved tickets */
  int                 priority;
  KefuCategory        category;
  const char         *subcategory;
  KefuChannel         channel;
  KefuStage           stage;
  const char         *lead;           /* lead department */
  const char         *support;        /* one supporting department, or NULL */
  guint               flags;
  int                 product;
  const char         *name;
  const char         *phone;
  const char         *email;
  int                 purchased;      /* days before now; 0 = not bought (yet) */
  const char         *address;        /* set when a technician visits */
  const char         *description;    /* verbatim */
  const char         *contact;        /* a scenario-specific first contact, or NULL */
  KefuResolutionKind  kind;           /* the (final) resolution */
  const char         *summary;
  int                 cost;           /* yuan */
  int                 satisfaction;   /* closed: the score; 0 = none */
  const char         *comment;
  KefuResolutionKind  first_kind;     /* DEMO_REOPEN: the rejected resolution … */
  const char         *first_summary;
  int                 first_cost;
  int                 unsatisfied;    /* … and the score that rejected it (1–2) */
  const char         *unsatisfied_comment;
  KefuCancelReason    cancel;         /* cancelled */
} DemoTicket;

#define Q KEFU_CATEGORY_QUALITY
#define L KEFU_CATEGORY_LOGISTICS
#define S KEFU_CATEGORY_SERVICE
#define C KEFU_CATEGORY_CONSULTATION
#define X KEFU_CATEGORY_COMPLAINT

static const DemoTicket scenarios[] = {
  /* ---- closed ---- */
  {
    .status = KEFU_STATUS_CLOSED, .priority = 1, .category = Q, .subcategory = "无法开机",
    .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE, .lead = "technical",
    .product = WM80, .name = "王建国", .phone = "13812345678", .purchased = 52,
    .address = "上海市浦东新区张杨路1588弄12号502室",
    .description = "洗衣机买了不到两个月，今天早上按电源键完全没反应，指示灯也不亮，插座换了一个"
                   "也一样。家里老人孩子的衣服都堆着，麻烦尽快派人来看看。",
    .kind = KEFU_RESOLUTION_REPAIR,
    .summary = "上门检测为电源板损坏（保修期内），现场更换电源板后试机正常，已告知客户"
               "使用注意事项。",
    .satisfaction = 5, .comment = "师傅很准时，修得也快，谢谢。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 2, .category = L, .subcategory = "物流延迟",
    .channel = KEFU_CHANNEL_PLATFORM, .stage = KEFU_STAGE_IN_SALE, .lead = "logistics",
    .product = RF550, .name = "李秀英", .phone = "13987654321", .purchased = 12,
    .description = "订单显示三天前就到本市了，到现在还没送货，打快递电话一直没人接，我都请了两次假"
                   "在家等了，到底什么时候能送到？",
    .kind = KEFU_RESOLUTION_COUPON,
    .summary = "协调承运商次日上午配送并安装，因延迟配送向客户发放50元优惠券。",
    .cost = 50, .satisfaction = 4, .comment = "总算送到了，希望以后别这样。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 2, .category = Q, .subcategory = "功能故障",
    .channel = KEFU_CHANNEL_APP, .stage = KEFU_STAGE_AFTER_SALE, .lead = "technical",
    .support = "logistics", .flags = DEMO_PARTS,
    .product = KX200, .name = "张伟", .phone = "13661234588", .purchased = 183,
    .description = "净化器用了半年，最近PM2.5显示一直是999，滤网刚换过，风量调到最大也没变化，"
                   "是不是传感器坏了？",
    .kind = KEFU_RESOLUTION_REPAIR,
    .summary = "远程指导清洁传感器无效，寄送新的粉尘传感器模块，客户按视频自行更换后数值恢复正常。",
    .satisfaction = 4, .comment = "换了以后正常了，就是等配件等了两天。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 3, .category = C, .subcategory = "安装指导",
    .channel = KEFU_CHANNEL_ONLINE, .stage = KEFU_STAGE_AFTER_SALE, .lead = "customer_service",
    .product = RO400, .name = "刘洋", .phone = "15821907733", .purchased = 4,
    .description = "净水器到了，说明书上的进水三通接口和我家的水管对不上，是要另外买转接头吗？"
                   "师傅上门安装收费吗？",
    .kind = KEFU_RESOLUTION_GUIDANCE,
    .summary = "告知标准安装免费，已为客户预约安装师傅，随带4分转6分转接头。",
    .satisfaction = 5, .comment = "安排得很周到。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 3, .category = X, .subcategory = "产品建议",
    .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_AFTER_SALE, .lead = "customer_service",
    .support = "product",
    .product = RC10, .name = "Sarah Miller", .email = "sarah.miller@example.com", .purchased = 95,
    .description = "Hi, the RC-10 works well overall but the app only lets me set one cleaning "
                   "schedule per day. I would love to set a morning and an evening run on "
                   "weekdays. Also the voice prompts are very loud at night and there is no way "
                   "to turn them down. Thanks, Sarah",
    .kind = KEFU_RESOLUTION_OTHER,
    .summary = "Thanked the customer. Both suggestions logged with the product team (multiple "
               "schedules and a night volume are planned for firmware 2.3); explained the Do Not "
               "Disturb workaround meanwhile.",
    .satisfaction = 4, .comment = "Thanks for listening, looking forward to the update.",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 2, .category = L, .subcategory = "错发漏发",
    .channel = KEFU_CHANNEL_PLATFORM, .stage = KEFU_STAGE_IN_SALE, .lead = "logistics",
    .flags = DEMO_WAITED,
    .product = MW25, .name = "陈桂兰", .phone = "13501236790", .purchased = 3,
    .description = "我买的是MW-25白色款，收到的是黑色的，而且箱子里没有烤架。包装都没拆，"
                   "要求换货。",
    .kind = KEFU_RESOLUTION_EXCHANGE,
    .summary = "核实为仓库拣货错误，安排快递上门取回并换发白色款（含烤架），来回运费由我方承担。",
    .satisfaction = 4, .comment = "换货挺快的。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 1, .category = Q, .subcategory = "安全隐患",
    .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE, .lead = "technical",
    .flags = DEMO_REPRIORITIZE,
    .product = WH60, .name = "赵海军", .phone = "13916645021", .purchased = 410,
    .address = "上海市闵行区七莘路3009弄5号1201室",
    .description = "热水器洗澡的时候手碰到花洒有麻麻的感觉，家里有小孩，现在已经把总闸关了，不敢"
                   "再用，请马上派人来检查！",
    .kind = KEFU_RESOLUTION_REPAIR,
    .summary = "工程师2小时内上门，检测为加热管绝缘层破损导致漏电。已更换加热管并复测接地及漏电"
               "保护正常；产品已过保，考虑安全问题免收配件费，仅收上门费。",
    .cost = 50, .satisfaction = 5, .comment = "响应很快，很放心。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 3, .category = S, .subcategory = "响应慢",
    .channel = KEFU_CHANNEL_SOCIAL, .stage = KEFU_STAGE_AFTER_SALE, .lead = "customer_service",
    .flags = DEMO_SLOW,
    .product = TV65Q, .name = "周敏", .phone = "18621093345", .purchased = 240,
    .description = "在你们官方微博私信问了三次电视遥控器配对的问题，两天了没人回，客服就这个效率？",
    .kind = KEFU_RESOLUTION_APOLOGY,
    .summary = "向客户致歉，电话指导遥控器重新配对（同时长按返回键和主页键5秒），已配对成功；"
               "社交媒体私信响应慢的问题已反馈客服部整改。",
    .satisfaction = 3, .comment = "问题是解决了，但回复太慢。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 4, .category = C, .subcategory = "保修政策",
    .channel = KEFU_CHANNEL_WEB_FORM, .stage = KEFU_STAGE_PRE_SALE, .lead = "customer_service",
    .product = AC35, .name = "James Wilson", .phone = "+86 139 1762 0458",
    .email = "j.wilson@example.org",
    .description = "Before I order two AC-35 units for my apartment: is the compressor warranty "
                   "still 5 years if I have my own electrician install them, or does it have to be "
                   "your installer? Also, do you provide an English copy of the warranty card?",
    .kind = KEFU_RESOLUTION_GUIDANCE,
    .summary = "Explained that the full warranty needs an authorised installer (free within the "
               "city): compressor 5 years, whole unit 1 year. Emailed the English warranty terms.",
    .satisfaction = 5, .comment = "Clear answer, thank you. Ordered both units.",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 2, .category = Q, .subcategory = "噪音异常",
    .channel = KEFU_CHANNEL_ONSITE, .stage = KEFU_STAGE_AFTER_SALE, .lead = "technical",
    .product = RF550, .name = "黄丽", .phone = "13764029917", .purchased = 33,
    .address = "北京市朝阳区望京西园三区312号楼2单元901",
    .description = "冰箱晚上压缩机启动的时候嗡嗡响得很厉害，整个厨房都能听到，关着卧室门都吵得"
                   "睡不着，刚买一个月。",
    .kind = KEFU_RESOLUTION_REPAIR,
    .summary = "上门检查为压缩机底座减震垫安装偏位，重新调整并加装减震垫，噪音降至正常范围。",
    .satisfaction = 4, .comment = "现在安静多了。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 2, .category = Q, .subcategory = "功能故障",
    .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE, .lead = "technical",
    .flags = DEMO_REOPEN | DEMO_TRIED,
    .product = DW12, .name = "孙丽娟", .phone = "13817730264", .purchased = 76,
    .address = "杭州市西湖区文三路478号华星时代广场B座1603",
    .description = "洗碗机洗完碗盘上还是有很多残渣和白色水渍，用了你们推荐的洗碗粉也一样，"
                   "感觉根本没洗干净。",
    .first_kind = KEFU_RESOLUTION_GUIDANCE,
    .first_summary = "电话指导客户清洗过滤网和喷淋臂，并调整洗涤程序为强力洗。",
    .unsatisfied = 2, .unsatisfied_comment = "按你们说的清洗了过滤网，还是洗不干净。",
    .kind = KEFU_RESOLUTION_REPAIR,
    .summary = "二次上门检测为喷淋臂堵塞且软水器硬度档位设置错误，已更换喷淋臂并按当地水质重设"
               "硬度档位，现场试洗效果正常。",
    .satisfaction = 4, .comment = "第二次来的师傅很专业，终于洗干净了。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 3, .category = L, .subcategory = "物流破损",
    .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_IN_SALE, .lead = "logistics",
    .flags = DEMO_WAITED,
    .product = CM05, .name = "Laura Garcia", .phone = "13601792846",
    .email = "laura.garcia@example.com", .purchased = 6,
    .description = "The CM-05 arrived this morning and the box was crushed on one corner. The "
                   "water tank has a crack and leaks when I fill it. I have photos of the box and "
                   "the tank. Can you send a new tank or do I need to return the whole machine?",
    .kind = KEFU_RESOLUTION_RESHIP,
    .summary = "Shipped a replacement water tank by express at no cost; damage claim filed with "
               "the carrier.",
    .satisfaction = 5, .comment = "New tank arrived in two days, great service.",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 3, .category = C, .subcategory = "使用方法",
    .channel = KEFU_CHANNEL_APP, .stage = KEFU_STAGE_AFTER_SALE, .lead = "customer_service",
    .product = IH22, .name = "吴静", .phone = "15900218463", .purchased = 21,
    .description = "电磁炉显示E1是什么意思？用了一会儿就自动停了。",
    .kind = KEFU_RESOLUTION_GUIDANCE,
    .summary = "E1为锅具不适配或空锅保护，指导客户使用平底铁质或不锈钢锅具，测试加热正常。",
    .satisfaction = 5, .comment = "原来是锅的问题，谢谢。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 4, .category = C, .subcategory = "发票开具",
    .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_AFTER_SALE, .lead = "customer_service",
    .product = VC300, .name = "郑凯", .phone = "13482736150", .email = "zhengkai@example.com",
    .purchased = 35,
    .description = "您好，上个月买的吸尘器需要开增值税专用发票，公司抬头和税号在附件里，请问"
                   "多久能开好？",
    .kind = KEFU_RESOLUTION_OTHER,
    .summary = "已核对开票信息并开具增值税专用发票，电子版发送至客户邮箱，纸质发票随快递寄出。",
    .satisfaction = 5, .comment = "收到了，谢谢。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 1, .category = L, .subcategory = "丢件/无法签收",
    .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_IN_SALE, .lead = "logistics",
    .flags = DEMO_REPRIORITIZE,
    .product = TV65Q, .name = "马国强", .phone = "13022115987", .purchased = 2,
    .description = "物流显示电视昨天已经签收了，可我根本没收到！家里一直有人，快递员也没打过电话。"
                   "这可是三千多块的东西。",
    .kind = KEFU_RESOLUTION_RESHIP,
    .summary = "核实为快递员误投至同小区另一单元，已追回商品并于当日送达，客户开箱验机无损。",
    .satisfaction = 4, .comment = "东西找回来了，但是快递员太不负责。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 2, .category = S, .subcategory = "服务态度",
    .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE, .lead = "customer_service",
    .product = AC35, .name = "杨帆", .phone = "18917263540", .purchased = 5,
    .description = "昨天来装空调的师傅态度很差，嫌我家楼层高一直抱怨，装完墙上打孔的灰也不清理，"
                   "地上全是灰。",
    .kind = KEFU_RESOLUTION_COMPENSATION,
    .summary = "核实情况属实，主管电话致歉，安排保洁上门清理并赠送100元服务券；已对安装师傅通报"
               "批评并安排服务规范培训。",
    .cost = 100, .satisfaction = 3, .comment = "处理态度还可以，希望真的改进。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 3, .category = X, .subcategory = "退款投诉",
    .channel = KEFU_CHANNEL_WEB_FORM, .stage = KEFU_STAGE_AFTER_SALE, .lead = "customer_service",
    .support = "logistics", .flags = DEMO_SLOW | DEMO_WAITED,
    .product = HD1800, .name = "Robert Taylor", .email = "rob.taylor@example.net", .purchased = 19,
    .description = "I returned the HD-1800 two weeks ago under the 7-day no-reason policy. The "
                   "tracking shows your warehouse received it last Tuesday, but I still have no "
                   "refund and nobody answers my emails. This is really frustrating.",
    .kind = KEFU_RESOLUTION_RETURN_REFUND,
    .summary = "The inspection of the returned unit had stalled in the warehouse. Pushed the "
               "refund (CNY 399) through finance the same day and apologised.",
    .cost = 399, .satisfaction = 3, .comment = "Refund received. Took far too long though.",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 2, .category = Q, .subcategory = "漏水",
    .channel = KEFU_CHANNEL_APP, .stage = KEFU_STAGE_AFTER_SALE, .lead = "technical",
    .product = WM80, .name = "林晓燕", .phone = "13564870219", .purchased = 28,
    .address = "深圳市南山区科苑南路2666号海岸城公寓7栋1804",
    .description = "洗衣机脱水的时候底下漏水，地板都泡了，已经铺了毛巾。买的时候说包安装的，"
                   "是不是没装好？",
    .kind = KEFU_RESOLUTION_REPAIR,
    .summary = "上门检查为进水管接头未拧紧、密封圈错位，重新安装并更换密封圈，试机无渗漏。",
    .satisfaction = 5, .comment = "修好了，师傅还帮忙把地擦干了。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 3, .category = C, .subcategory = "功能咨询",
    .channel = KEFU_CHANNEL_SOCIAL, .stage = KEFU_STAGE_PRE_SALE, .lead = "customer_service",
    .product = KX200, .name = "何雨", .phone = "17721045596",
    .description = "想问下KX-200适合多大的房间？家里有两只猫，对宠物毛发和异味有用吗？",
    .kind = KEFU_RESOLUTION_GUIDANCE,
    .summary = "答复适用面积约40平方米，可选配宠物专用滤网过滤毛发和异味，已发送对比资料和"
               "当前优惠信息。",
    .satisfaction = 5, .comment = "很详细，已经下单了。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 4, .category = C, .subcategory = "信息更新",
    .channel = KEFU_CHANNEL_ONLINE, .stage = KEFU_STAGE_AFTER_SALE, .lead = "customer_service",
    .product = RF550, .name = "罗志刚", .phone = "13816290457", .purchased = 300,
    .description = "我搬家了，之前登记的保修地址要改成新地址，以后上门服务就去新家。新地址是"
                   "上海市徐汇区漕溪北路398号6楼。",
    .kind = KEFU_RESOLUTION_OTHER,
    .summary = "已更新客户档案中的地址，保修记录同步修改，并短信告知客户。",
    .satisfaction = 5, .comment = "好的，谢谢。",
  },
  {
    .status = KEFU_STATUS_CLOSED, .priority = 2, .category = L, .subcategory = "物流延迟",
    .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_IN_SALE, .lead = "logistics",
    .flags = DEMO_SLOW | DEMO_LATE_CONFIRM,
    .product = DH16, .name = "Anna Kowalski", .email = "anna.kowalski@example.com", .purchased = 9,
    .description = "I ordered the DH-16 eight days ago with 3-day delivery. The tracking has not "
                   "moved since it left Guangzhou. My basement is getting mouldy, please tell me "
                   "where my parcel is.",
    .kind = KEFU_RESOLUTION_COMPENSATION,
    .summary = "Parcel was stuck at the Guangzhou hub after a scanning error. The carrier "
               "re-routed it and it was delivered two days later; shipping fee refunded.",
    .cost = 30, .satisfaction = 4, .comment = "Arrived at last, thanks for chasing it.",
  },

  /* ---- cancelled ---- */
  {
    .status = KEFU_STATUS_CANCELLED, .priority = 4, .category = C, .subcategory = "垃圾信息",
    .channel = KEFU_CHANNEL_SOCIAL, .stage = KEFU_STAGE_PRE_SALE, .lead = "customer_service",
    .product = -1, .name = "Star Marketing", .email = "promo@example.net",
    .description = "Boost your store ratings fast! 5000 real followers and 5-star reviews, cheap "
                   "price, contact us today for a free trial.",
    .cancel = KEFU_CANCEL_REASON_SPAM,
  },
  {
    .status = KEFU_STATUS_CANCELLED, .priority = 3, .category = C, .subcategory = "使用方法",
    .channel = KEFU_CHANNEL_APP, .stage = KEFU_STAGE_AFTER_SALE, .lead = "customer_service",
    .product = WM80, .name = "钱芳", .phone = "13671928304", .purchased = 40,
    .description = "洗衣机的童锁怎么解除？面板按键全都没反应，衣服放进去了启动不了。",
    .contact = "客户回电表示已按说明书自行解除童锁，洗衣机正常使用，无需处理。",
    .cancel = KEFU_CANCEL_REASON_WITHDRAWN,
  },

  /* ---- resolved, waiting for the confirmation call ---- */
  {
    .status = KEFU_STATUS_RESOLVED, .clock = CLOCK_OK, .priority = 2, .category = Q,
    .subcategory = "功能故障", .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical", .flags = DEMO_PARTS,
    .product = AC35, .name = "谢婷", .phone = "13761820954", .purchased = 160,
    .address = "成都市武侯区天府大道北段1700号环球中心E1区2108",
    .description = "空调制热开了一个小时还是吹凉风，室外机在转，遥控器模式也是制热。",
    .kind = KEFU_RESOLUTION_REPAIR,
    .summary = "上门检测为四通阀卡滞，更换四通阀并补充冷媒，试机制热出风温度正常。",
  },
  {
    .status = KEFU_STATUS_RESOLVED, .clock = CLOCK_WARNING, .priority = 3, .category = C,
    .subcategory = "使用方法", .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "customer_service",
    .product = RO400, .name = "Daniel Kim", .email = "daniel.kim@example.com", .purchased = 210,
    .description = "How often should I replace the filters on the RO-400? The app shows 12% left "
                   "on filter 2 but the water still tastes fine. Is it safe to keep using it for "
                   "another month?",
    .kind = KEFU_RESOLUTION_GUIDANCE,
    .summary = "Explained the replacement intervals (PP cotton 6 months, RO membrane 24 months) "
               "and that 12% means about three weeks left; sent the link to order genuine "
               "filters.",
  },
  {
    .status = KEFU_STATUS_RESOLVED, .clock = CLOCK_BREACHED, .priority = 2, .category = L,
    .subcategory = "错发漏发", .channel = KEFU_CHANNEL_PLATFORM, .stage = KEFU_STAGE_IN_SALE,
    .lead = "logistics",
    .product = VC300, .name = "韩梅", .phone = "15618273940", .purchased = 4,
    .description = "吸尘器收到了，但是少了地毯刷头和充电座，盒子上印的配件清单里都有的。",
    .kind = KEFU_RESOLUTION_RESHIP,
    .summary = "已补发地毯刷头和充电座，快递单号已短信发送给客户。",
  },
  {
    .status = KEFU_STATUS_RESOLVED, .clock = CLOCK_BREACHED, .priority = 3, .category = S,
    .subcategory = "流程繁琐", .channel = KEFU_CHANNEL_WEB_FORM, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "customer_service",
    .product = WM80, .name = "Kevin O'Brien", .email = "kevin.obrien@example.com", .purchased = 14,
    .description = "To register my warranty I had to upload the invoice three times because the "
                   "form kept timing out, and then it asked for the serial number in a format that "
                   "does not match the label on the machine. Please register it for me, the serial "
                   "is on the attached photo.",
    .kind = KEFU_RESOLUTION_OTHER,
    .summary = "Registered the warranty manually and emailed the confirmation; reported the form "
               "timeout and the serial number format to IT.",
  },
  {
    .status = KEFU_STATUS_RESOLVED, .clock = CLOCK_OK, .priority = 1, .category = Q,
    .subcategory = "制冷异常", .channel = KEFU_CHANNEL_ONSITE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical",
    .product = RF550, .name = "曹建华", .phone = "13916073382", .purchased = 260,
    .address = "上海市杨浦区国和路60弄8号302室",
    .description = "冰箱突然不制冷了，冷冻室的肉都化了，压缩机一点声音都没有，里面还有刚买的一堆"
                   "东西。",
    .kind = KEFU_RESOLUTION_REPAIR,
    .summary = "上门确认为启动继电器烧坏，现场更换后压缩机启动正常，两小时后冷冻室降至零下18度。",
  },

  /* ---- reopened: the customer rejected the resolution ---- */
  {
    .status = KEFU_STATUS_REOPENED, .clock = CLOCK_OK, .priority = 2, .category = Q,
    .subcategory = "功能故障", .channel = KEFU_CHANNEL_APP, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical", .flags = DEMO_REOPEN | DEMO_TRIED,
    .product = RC10, .name = "Emily Johnson", .phone = "13585021746",
    .email = "emily.j@example.com", .purchased = 130,
    .description = "My RC-10 keeps saying 'wheel stuck' and stops in the middle of the living "
                   "room. I cleaned the wheels and there is no hair on them. It started after the "
                   "last firmware update.",
    .first_kind = KEFU_RESOLUTION_GUIDANCE,
    .first_summary = "Guided the customer through a factory reset and a firmware reinstall over a "
                     "video call; the robot finished a full run afterwards.",
    .unsatisfied = 2, .unsatisfied_comment = "Worked for one day, then the same error again.",
  },
  {
    .status = KEFU_STATUS_REOPENED, .clock = CLOCK_WARNING, .priority = 2, .category = L,
    .subcategory = "物流破损", .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_IN_SALE,
    .lead = "logistics", .flags = DEMO_REOPEN,
    .product = TV65Q, .name = "冯涛", .phone = "18801927365", .purchased = 3,
    .description = "电视开箱发现屏幕右下角有一条裂纹，外箱看着是好的。送货师傅已经走了，我当场"
                   "拍了视频。",
    .first_kind = KEFU_RESOLUTION_PARTIAL_REFUND,
    .first_summary = "与客户协商折价补偿300元，商品由客户保留。",
    .first_cost = 300,
    .unsatisfied = 1, .unsatisfied_comment = "屏幕有裂纹根本没法看，我要的是换新，不是补钱！",
  },

  /* ---- assigned, not yet accepted ---- */
  {
    .status = KEFU_STATUS_ASSIGNED, .clock = CLOCK_OK, .priority = 1, .category = Q,
    .subcategory = "无法开机", .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical",
    .product = WH60, .name = "邓丽华", .phone = "13651908273", .purchased = 400,
    .address = "上海市长宁区虹桥路1665弄3号601室",
    .description = "热水器显示E4故障码，点不着火，一滴热水都没有，家里老人洗不了澡，麻烦今天一定"
                   "派人来。",
  },
  {
    .status = KEFU_STATUS_ASSIGNED, .clock = CLOCK_WARNING, .priority = 2, .category = L,
    .subcategory = "物流延迟", .channel = KEFU_CHANNEL_PLATFORM, .stage = KEFU_STAGE_IN_SALE,
    .lead = "logistics",
    .product = WM80, .name = "许明", .phone = "13917204586", .purchased = 5,
    .description = "下单的时候说两天送到，今天第五天了，物流信息一直停在“运输中”，到底什么时候"
                   "能送？",
  },
  {
    /* The same customer calls about the same order: a duplicate. */
    .status = KEFU_STATUS_CANCELLED, .priority = 2, .category = L, .subcategory = "物流延迟",
    .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_IN_SALE, .lead = "logistics",
    .flags = DEMO_DUPLICATE, .product = WM80,
    .description = "我在你们天猫旗舰店买的洗衣机，当时说两天送到，今天都第五天了，店里客服让我"
                   "打这个电话问一下。",
    .cancel = KEFU_CANCEL_REASON_DUPLICATE,
  },
  {
    .status = KEFU_STATUS_ASSIGNED, .clock = CLOCK_BREACHED, .priority = 3, .category = Q,
    .subcategory = "外观瑕疵", .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical", .support = "quality",
    .product = CM05, .name = "Olivia Martin", .email = "olivia.martin@example.org", .purchased = 8,
    .description = "There is a visible scratch across the front panel of my new CM-05. It was "
                   "like that when I opened the box. Can I get a replacement panel?",
  },
  {
    .status = KEFU_STATUS_ASSIGNED, .clock = CLOCK_WARNING, .priority = 2, .category = X,
    .subcategory = "维修投诉", .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical", .flags = DEMO_REOPEN | DEMO_TRIED,
    .product = AC35, .name = "宋志强", .phone = "13310286547", .purchased = 330,
    .address = "南京市鼓楼区中山北路281号虹桥中心2栋1502",
    .description = "空调修了一次还是不制冷，师傅来了说加了氟就好了，走了第二天又不行，我要求"
                   "换机或者退货！",
    .first_kind = KEFU_RESOLUTION_REPAIR,
    .first_summary = "上门检测冷媒不足，补充冷媒后试机制冷正常。",
    .unsatisfied = 1, .unsatisfied_comment = "第二天又不制冷了，你们根本没找到原因！",
  },
  {
    .status = KEFU_STATUS_ASSIGNED, .clock = CLOCK_OK, .priority = 4, .category = C,
    .subcategory = "信息更新", .channel = KEFU_CHANNEL_WEB_FORM, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "customer_service",
    .product = TV65Q, .name = "Mark Thompson", .email = "mark.thompson@example.com",
    .purchased = 61,
    .description = "Please change the email address on my warranty record to "
                   "mark.t@example.com and send me the invoice again, I lost the original one.",
  },

  /* ---- new ---- */
  {
    .status = KEFU_STATUS_NEW, .clock = CLOCK_OK, .priority = 1, .category = Q,
    .subcategory = "无法开机", .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical",
    .product = AC35, .name = "高峰", .phone = "13524716809", .purchased = 45,
    .address = "上海市普陀区金沙江路1759弄2号1102室",
    .description = "空调开机三分钟就自动关机，显示屏一直闪，家里老人有心脏病，这么热的天实在"
                   "待不住，请尽快派人。",
  },
  {
    /* Answered and not yet taken: only its resolution clock runs, far from any warning. */
    .status = KEFU_STATUS_NEW, .clock = CLOCK_OK, .priority = 3, .category = C,
    .subcategory = "功能咨询", .channel = KEFU_CHANNEL_ONLINE, .stage = KEFU_STAGE_PRE_SALE,
    .lead = "customer_service", .flags = DEMO_CONTACTED,
    .product = WH60, .name = "梁静", .phone = "18616390274",
    .description = "请问WH-60热水器60升的够三口之家用吗？能不能预约加热，晚上用谷电烧水？",
  },
  {
    .status = KEFU_STATUS_NEW, .clock = CLOCK_BREACHED, .priority = 2, .category = Q,
    .subcategory = "功能故障", .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical",
    .product = MW25, .name = "Hannah Schmidt", .email = "hannah.schmidt@example.com",
    .purchased = 120,
    .description = "The microwave turns on, the plate rotates and the light is on, but the food "
                   "does not get warm at all after 3 minutes on high. It is 4 months old.",
  },
  {
    .status = KEFU_STATUS_NEW, .clock = CLOCK_OK, .priority = 4, .category = X,
    .subcategory = "产品建议", .channel = KEFU_CHANNEL_APP, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "customer_service", .flags = DEMO_CONTACTED,
    .product = KX200, .name = "彭宇", .phone = "15001827364", .purchased = 220,
    .description = "建议APP里增加滤网剩余寿命的提醒推送，现在要自己点进去看才知道该换了。",
  },
  {
    .status = KEFU_STATUS_NEW, .clock = CLOCK_BREACHED, .priority = 3, .category = S,
    .subcategory = "响应慢", .channel = KEFU_CHANNEL_SOCIAL, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "customer_service",
    .product = WM80, .name = "唐磊", .phone = "13795102836", .purchased = 150,
    .description = "你们的热线等了二十分钟才接通，接通以后客服说要转技术，又等了十分钟，最后"
                   "直接挂了！",
  },
  {
    .status = KEFU_STATUS_NEW, .clock = CLOCK_WARNING, .priority = 2, .category = L,
    .subcategory = "物流破损", .channel = KEFU_CHANNEL_PLATFORM, .stage = KEFU_STAGE_IN_SALE,
    .lead = "logistics",
    .product = DH16, .name = "Lucas Silva", .phone = "+86 135 6402 7718",
    .email = "lucas.silva@example.com", .purchased = 2,
    .description = "The dehumidifier arrived with a broken handle and the water bucket cover is "
                   "missing. I ordered it from your store on the marketplace.",
  },

  /* ---- accepted ---- */
  {
    .status = KEFU_STATUS_ACCEPTED, .clock = CLOCK_OK, .priority = 2, .category = Q,
    .subcategory = "制冷异常", .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical",
    .product = RF550, .name = "董海燕", .phone = "13661920475", .purchased = 88,
    .address = "北京市海淀区中关村南大街12号院6号楼3单元702",
    .description = "冰箱冷藏室设的4度，拿温度计量实际有12度，菜放两天就坏了。",
  },
  {
    .status = KEFU_STATUS_ACCEPTED, .clock = CLOCK_WARNING, .priority = 3, .category = L,
    .subcategory = "配送改约", .channel = KEFU_CHANNEL_ONLINE, .stage = KEFU_STAGE_IN_SALE,
    .lead = "logistics",
    .product = VC300, .name = "范文", .phone = "13816720394", .purchased = 1,
    .description = "想改一下送货时间，周三家里没人，能不能改到周六上午送？",
  },
  {
    .status = KEFU_STATUS_ACCEPTED, .clock = CLOCK_BREACHED, .priority = 2, .category = Q,
    .subcategory = "漏水", .channel = KEFU_CHANNEL_ONSITE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical",
    .product = AC35, .name = "Chloe Wright", .phone = "13621957403",
    .email = "chloe.wright@example.com", .purchased = 70,
    .address = "Apt 1203, Tower B, 88 Century Avenue, Pudong, Shanghai",
    .description = "The indoor unit drips water onto the sofa whenever cooling is on. It started "
                   "last week. I brought photos to the Xuhui service point.",
  },

  /* ---- in progress ---- */
  {
    .status = KEFU_STATUS_IN_PROGRESS, .clock = CLOCK_OK, .priority = 1, .category = L,
    .subcategory = "丢件/无法签收", .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_IN_SALE,
    .lead = "logistics",
    .product = RF550, .name = "韩冬", .phone = "13918273605", .purchased = 1,
    .description = "冰箱送到楼下了，送货师傅说电梯坏了不给送上楼，让我自己搬，我家在12楼！现在"
                   "东西就放在楼下。",
  },
  {
    .status = KEFU_STATUS_IN_PROGRESS, .clock = CLOCK_WARNING, .priority = 2, .category = Q,
    .subcategory = "异味", .channel = KEFU_CHANNEL_APP, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical",
    .product = DW12, .name = "秦雪", .phone = "15921736480", .purchased = 17,
    .address = "苏州市工业园区星湖街328号创意产业园10幢",
    .description = "洗碗机每次洗完打开门都有一股很重的塑料烧焦味，碗上也有味道，不敢再用了。",
  },
  {
    .status = KEFU_STATUS_IN_PROGRESS, .clock = CLOCK_BREACHED, .priority = 2, .category = Q,
    .subcategory = "功能故障", .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical", .flags = DEMO_REPRIORITIZE | DEMO_STALE,
    .product = TV65Q, .name = "Ryan Murphy", .email = "ryan.murphy@example.com", .purchased = 150,
    .address = "Room 502, 1 Lane 320 Xinhua Road, Changning, Shanghai",
    .description = "The TV randomly turns itself off every 20-30 minutes, and sometimes it will "
                   "not turn back on until I unplug it. The firmware is up to date.",
  },
  {
    .status = KEFU_STATUS_IN_PROGRESS, .clock = CLOCK_OK, .priority = 3, .category = X,
    .subcategory = "质量投诉", .channel = KEFU_CHANNEL_WEB_FORM, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "customer_service", .support = "quality",
    .product = HD1800, .name = "蔡琳", .phone = "18217390465", .purchased = 80,
    .description = "吹风机用了不到三个月，出风口的塑料外壳已经发黄变形了，这质量也太差了，"
                   "希望你们重视。",
  },
  {
    .status = KEFU_STATUS_IN_PROGRESS, .clock = CLOCK_BREACHED, .priority = 4, .category = C,
    .subcategory = "配件购买", .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "customer_service", .flags = DEMO_STALE,
    .product = KX200, .name = "Sophie Dubois", .email = "sophie.dubois@example.org",
    .purchased = 400,
    .description = "Where can I buy original replacement filters for the KX-200 in France? The "
                   "ones on the marketplaces look like copies.",
  },
  {
    .status = KEFU_STATUS_IN_PROGRESS, .clock = CLOCK_WARNING, .priority = 2, .category = S,
    .subcategory = "上门超时", .channel = KEFU_CHANNEL_ONLINE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "customer_service", .support = "technical",
    .product = WM80, .name = "袁芳", .phone = "13472019385", .purchased = 2,
    .description = "约好今天下午2点到6点上门安装，现在都6点半了师傅还没来，电话也打不通。",
  },
  {
    .status = KEFU_STATUS_IN_PROGRESS, .clock = CLOCK_OK, .priority = 2, .category = Q,
    .subcategory = "功能故障", .channel = KEFU_CHANNEL_ONSITE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical",
    .product = IH22, .name = "邹强", .phone = "13062719458", .purchased = 230,
    .description = "电磁炉加热一会儿就报E3，风扇转得很响，我自己拿到服务网点来了。",
  },

  /* ---- waiting for the customer (clocks paused) ---- */
  {
    .status = KEFU_STATUS_WAITING_CUSTOMER, .priority = 2, .category = Q,
    .subcategory = "噪音异常", .channel = KEFU_CHANNEL_APP, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical",
    .product = KX200, .name = "潘婷", .phone = "13585940271", .purchased = 64,
    .description = "净化器开到睡眠模式还是有咔咔的异响，像是有东西卡在风扇里。",
  },
  {
    .status = KEFU_STATUS_WAITING_CUSTOMER, .priority = 3, .category = L,
    .subcategory = "物流破损", .channel = KEFU_CHANNEL_EMAIL, .stage = KEFU_STAGE_IN_SALE,
    .lead = "logistics",
    .product = MW25, .name = "Priya Sharma", .email = "priya.sharma@example.com", .purchased = 3,
    .description = "The glass in the microwave door has a crack. The outer box had a hole in it "
                   "but I signed for the delivery before I noticed.",
  },
  {
    .status = KEFU_STATUS_WAITING_CUSTOMER, .priority = 3, .category = C,
    .subcategory = "安装指导", .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_PRE_SALE,
    .lead = "customer_service",
    .product = DW12, .name = "蒋文", .phone = "13764810392",
    .description = "洗碗机想嵌在橱柜里，橱柜宽60厘米、深55厘米，能装得下吗？需要预留什么接口？",
  },
  {
    .status = KEFU_STATUS_WAITING_CUSTOMER, .priority = 4, .category = X,
    .subcategory = "产品建议", .channel = KEFU_CHANNEL_SOCIAL, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "customer_service", .support = "product",
    .product = CM05, .name = "Tom Becker", .email = "tom.becker@example.net", .purchased = 45,
    .description = "Feedback: the CM-05 milk frother is great, but the drip tray fills up far too "
                   "quickly. Would you sell a larger drip tray?",
  },

  /* ---- waiting for parts ---- */
  {
    .status = KEFU_STATUS_WAITING_PARTS, .clock = CLOCK_OK, .priority = 2, .category = Q,
    .subcategory = "功能故障", .channel = KEFU_CHANNEL_PHONE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical", .support = "logistics", .flags = DEMO_REPRIORITIZE,
    .product = WM80, .name = "汪洋", .phone = "13817092643", .purchased = 190,
    .address = "上海市静安区共和新路1999弄15号402室",
    .description = "洗衣机一到脱水就报E21，水排不出去，衣服泡在里面拿不出来。",
  },
  {
    .status = KEFU_STATUS_WAITING_PARTS, .clock = CLOCK_BREACHED, .priority = 2, .category = Q,
    .subcategory = "无法显示", .channel = KEFU_CHANNEL_ONSITE, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical", .flags = DEMO_STALE,
    .product = TV65Q, .name = "于洋", .phone = "15026718394", .purchased = 280,
    .address = "天津市和平区南京路219号天津中心3205",
    .description = "电视开机只有声音没有图像，屏幕全黑，拿手电照能看到一点点画面。",
  },
  {
    .status = KEFU_STATUS_WAITING_PARTS, .clock = CLOCK_WARNING, .priority = 3, .category = L,
    .subcategory = "错发漏发", .channel = KEFU_CHANNEL_PLATFORM, .stage = KEFU_STAGE_IN_SALE,
    .lead = "logistics",
    .product = RC10, .name = "Jessica Lee", .phone = "13918620475",
    .email = "jessica.lee@example.com", .purchased = 4,
    .description = "The RC-10 box did not include the spare side brushes and the extra filter "
                   "that are listed on the packaging.",
  },
  {
    .status = KEFU_STATUS_WAITING_PARTS, .clock = CLOCK_OK, .priority = 4, .category = Q,
    .subcategory = "配件缺失", .channel = KEFU_CHANNEL_WEB_FORM, .stage = KEFU_STAGE_AFTER_SALE,
    .lead = "technical", .support = "logistics",
    .product = VC300, .name = "邱慧", .phone = "13601847263", .purchased = 33,
    .description = "吸尘器的缝隙吸头用了一个月就断了，保修期内能免费换一个吗？",
  },
};

#undef Q
#undef L
#undef S
#undef C
#undef X

/* ---- texts of the routine steps, by category, in the ticket's language -------------------- */

typedef const char *const DemoTexts[KEFU_CATEGORY_LAST][2];   /* [category][en] */

static DemoTexts first_contact_texts = {
  { "已回电客户，确认故障现象并记录，告知已转技术部处理，工程师会尽快联系。",
    "Called the customer back, confirmed the symptoms and explained that a technician will "
    "get in touch shortly." },
  { "已联系客户核实订单和收货情况，告知正在与承运商核查，今天内给出处理方案。",
    "Contacted the customer and verified the order and delivery details; we are checking with "
    "the carrier and will come back today." },
  { "已致电客户致歉，详细了解了经过，承诺由主管跟进并在24小时内答复。",
    "Called the customer, apologised and took down what happened; a supervisor will follow up "
    "within 24 hours." },
  { "已回复客户，说明会由专人整理详细答复后再联系。",
    "Replied to the customer that a specialist will send a detailed answer." },
  { "已联系客户，安抚情绪并记录投诉要点，已上报售后主管。",
    "Contacted the customer, listened to the complaint and logged the key points; passed it to "
    "the supervisor." },
};

static DemoTexts accept_texts = {
  { "已接单，查看了客户的故障描述和购买记录，先远程指导排查，必要时上门。",
    "Accepted. Checked the fault description and the purchase record; starting with remote "
    "troubleshooting, on-site if needed." },
  { "已接单，已向承运商提交查件申请并核对出库记录。",
    "Accepted. Opened a trace request with the carrier and checked the outbound record." },
  { "已接单，调取了相关通话录音和服务记录进行核实。",
    "Accepted. Pulled the call recordings and service records to check what happened." },
  { "已接单，正在查阅产品手册和售后政策，整理答复要点。",
    "Accepted. Checking the manual and the after-sales policy for a complete answer." },
  { "已接单，正在与相关部门沟通，确认改进措施后答复客户。",
    "Accepted. Discussing with the departments involved before answering the customer." },
};

static const char *const accept_visit_texts[2] = {
  "已接单，查看了故障描述和购买记录，需要上门检测。",
  "Accepted. Checked the fault description and the purchase record; an on-site check is needed.",
};

static DemoTexts progress_contact_texts = {
  { "已电话指导客户做基本排查，并约定根据排查结果安排处理。",
    "Walked the customer through the basic checks by phone; next steps depend on the result." },
  { "已告知客户承运商核查进展，并确认收货地址和联系电话。",
    "Updated the customer on the carrier's trace and confirmed the delivery address and phone." },
  { "已向客户反馈核查结果，客户同意由我方给出补救方案。",
    "Told the customer what we found; they agreed to let us propose a remedy." },
  { "已电话向客户详细说明，并发送图文说明供参考。",
    "Explained the details to the customer by phone and sent an illustrated guide." },
  { "已向客户说明处理进度，客户表示理解，等待最终方案。",
    "Updated the customer on progress; they are waiting for our final proposal." },
};

static const char *const visit_booked_texts[2] = {
  "已与客户预约上门检测时间，工程师将携带常用配件前往。",
  "Booked an on-site visit with the customer; the technician will bring the usual spare parts.",
};

static const char *const visit_done_texts[2] = {
  "上门检测完成，故障原因已确认，现场处理后客户试用正常。",
  "On-site check done: cause found and fixed on the spot, the customer tested it.",
};

static DemoTexts waiting_customer_texts = {
  { "等待客户提供故障视频和机身序列号照片",
    "Waiting for a video of the fault and a photo of the serial number label" },
  { "等待客户提供外包装和破损部位照片",
    "Waiting for photos of the box and the damaged part" },
  { "客户白天不方便接听，等待客户回复方便联系的时间",
    "The customer asked to be called later; waiting for a convenient time" },
  { "已发送安装尺寸图，等待客户测量后反馈",
    "Sent the dimension drawing; waiting for the customer's measurements" },
  { "方案已发给客户，等待客户确认",
    "Proposal sent; waiting for the customer's decision" },
};

static DemoTexts waiting_contact_texts = {
  { "已联系客户说明需要的材料，客户表示晚些时候发送。",
    "Asked the customer for the material we need; they will send it later." },
  { "已请客户补充照片凭证，客户表示下班后拍照上传。",
    "Asked the customer for photos; they will upload them after work." },
  { "已联系客户，客户表示正在忙，约定稍后回复。",
    "Reached the customer, who was busy and will get back to us." },
  { "已向客户发送资料，请客户确认后回复。",
    "Sent the material to the customer and asked them to confirm." },
  { "已将处理方案告知客户，客户需要考虑后答复。",
    "Explained our proposal; the customer wants to think it over." },
};

static DemoTexts waiting_parts_texts = {
  { "已申请更换配件，等待仓库调货（预计2-3天）",
    "Replacement part requested from the warehouse (2-3 days)" },
  { "补发商品暂时缺货，等待仓库到货后优先发出",
    "The items to reship are out of stock; they go out first when the warehouse restocks" },
  { "等待配件到货", "Waiting for the part to arrive" },
  { "等待配件到货", "Waiting for the part to arrive" },
  { "等待配件到货", "Waiting for the part to arrive" },
};

static DemoTexts diagnosis_texts = {
  { "检测确认需更换故障配件，已提交配件申请。",
    "Diagnosis confirms a faulty part; part request submitted." },
  { "仓库核对确认漏发，已提交补发申请。",
    "The warehouse confirmed the missing items; reshipment requested." },
  { "已核实情况，需要配件后才能处理。", "Checked: we need a part before we can fix this." },
  { "已核实情况，需要配件后才能处理。", "Checked: we need a part before we can fix this." },
  { "已核实情况，需要配件后才能处理。", "Checked: we need a part before we can fix this." },
};

static const char *const parts_contact_texts[2] = {
  "已告知客户配件预计到货时间，到货后第一时间联系安排。",
  "Told the customer when the part is expected; we will call as soon as it arrives.",
};

static const char *const parts_arrived_texts[2] = {
  "配件已到货，已联系客户安排处理。",
  "The part arrived; called the customer to arrange the fix.",
};

static const char *const customer_replied_texts[2] = {
  "客户已补充材料，继续处理。",
  "The customer sent what we asked for; carrying on.",
};

static const char *const p1_note_texts[2] = {
  "P1工单，已电话通知相关负责人优先处理。",
  "P1: phoned the team lead to make this the top priority.",
};

static const char *const reprioritize_note_texts[2] = {
  "主管复核后上调优先级。",
  "Priority raised after the supervisor's review.",
};

static const char *const reopen_note_texts[2] = {
  "客户对处理结果不满意，已报售后总监，安排二次处理并当天回复客户。",
  "The customer is not satisfied: reported to the after-sales director; second attempt to be "
  "arranged and the customer answered today.",
};

static const char *const reopen_contact_texts[2] = {
  "已向客户致歉，说明将安排资深工程师二次处理。",
  "Apologised to the customer and explained that a senior technician will take it over.",
};

/* ---- plans ------------------------------------------------------------------------------- */

typedef enum {
  STEP_CREATE,
  STEP_PRIORITY,
  STEP_CONTACT,
  STEP_NOTE,
  STEP_DUPLICATE_NOTE,
  STEP_ASSIGN,
  STEP_ACCEPT,
  STEP_STATUS,
  STEP_RESOLVE,
  STEP_CONFIRM,
} StepKind;

typedef struct {
  StepKind            kind;
  gint64              gap;            /* after the previous step */
  gint64              at;
  const KefuUser     *actor;
  const char         *text;           /* note, reason, summary or comment (static) */
  KefuStatus          status;
  const KefuUser     *assignee;
  const char         *department;
  const char         *support;
  int                 value;          /* priority or satisfaction */
  KefuResolutionKind  resolution;
  gint64              cost_cents;
  gint64              minutes;
} DemoStep;

typedef struct _DemoPlan DemoPlan;

struct _DemoPlan {
  guint              index;
  const DemoTicket  *scenario;
  gboolean           en;
  KefuCustomer       customer;
  int                intake_priority;
  gint64             submitted_before;  /* how long before registration the customer wrote */
  GArray            *steps;             /* of DemoStep */
  gint64             span;
  gint64             tail;              /* open: from the last step to now */
  guint              stretch;           /* open: the step whose gap may grow to age the ticket
                                         * (0 = none) */
  gint64             created_at;
  DemoPlan          *original;          /* DEMO_DUPLICATE */
  char              *number;
  KefuSlaState       state;
};

static void
demo_plan_free (DemoPlan *plan)
{
  kefu_customer_clear (&plan->customer);
  g_clear_pointer (&plan->steps, g_array_unref);
  g_free (plan->number);
  g_free (plan);
}

typedef struct {
  KefuSlaPolicy *policy;
  GTimeZone     *tz;
  gint64         now;
  const char    *password_hash;
  GRand         *rand;
  KefuUser      *staff[N_ACCOUNTS];
  GPtrArray     *plans;               /* of DemoPlan*, in table order */
} DemoSeed;

static gint64
random_between (DemoSeed *seed,
                gint64    lo,
                gint64    hi)
{
  if (hi <= lo)
    return lo;
  /* Whole seconds, so that nothing depends on sub-second rounding. */
  return (gint64) g_rand_int_range (seed->rand, 0, (gint32) ((hi - lo) / G_USEC_PER_SEC) + 1)
         * G_USEC_PER_SEC + lo;
}

static gint64
random_minutes (DemoSeed *seed,
                int       lo,
                int       hi)
{
  return random_between (seed, lo * MINUTE, hi * MINUTE);
}

/* A fraction of @span in [lo, hi]. */
static gint64
random_fraction (DemoSeed *seed,
                 gint64    span,
                 double    lo,
                 double    hi)
{
  return random_between (seed, (gint64) (span * lo), (gint64) (span * hi));
}

static DemoStep *
add_step (DemoPlan       *plan,
          StepKind        kind,
          gint64          gap,
          const KefuUser *actor)
{
  DemoStep step = { 0 };

  step.kind = kind;
  step.gap = gap;
  step.actor = actor;
  g_array_append_val (plan->steps, step);
  plan->span += gap;
  return &g_array_index (plan->steps, DemoStep, plan->steps->len - 1);
}

static const char *
text_of (const DemoPlan *plan,
         DemoTexts       texts)
{
  return texts[plan->scenario->category][plan->en ? 1 : 0];
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

static gint64
update_window (DemoSeed *seed,
               int       priority)
{
  KefuSlaTarget target = priority == 1
                         ? kefu_sla_policy_get_update_p1 (seed->policy)
                         : kefu_sla_policy_get_clock (seed->policy, KEFU_SLA_CLOCK_UPDATE);

  return target.seconds * G_USEC_PER_SEC;
}

static gint64
clock_window (DemoSeed     *seed,
              KefuSlaClock  clock)
{
  return kefu_sla_policy_get_clock (seed->policy, clock).seconds * G_USEC_PER_SEC;
}

static char *
format_date (DemoSeed *seed,
             gint64    usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, seed->tz);

  return g_date_time_format (local, "%Y-%m-%d");
}

static void
fill_customer (DemoSeed *seed,
               DemoPlan *plan)
{
  const DemoTicket *t = plan->scenario;
  KefuCustomer *c = &plan->customer;

  if (plan->original != NULL)
    {
      const KefuCustomer *o = &plan->original->customer;

      c->name = g_strdup (o->name);
      c->phone = g_strdup (o->phone);
      c->email = g_strdup (o->email);
      c->code = g_strdup (o->code);
      c->order_no = g_strdup (o->order_no);
      c->product_model = g_strdup (o->product_model);
      c->serial_no = g_strdup (o->serial_no);
      c->purchase_date = g_strdup (o->purchase_date);
      c->address = g_strdup (o->address);
      return;
    }

  c->name = g_strdup (t->name);
  c->phone = g_strdup (t->phone);
  c->email = g_strdup (t->email);
  c->address = g_strdup (t->address);
  if (t->product >= 0)
    {
      const DemoProduct *p = &products[t->product];

      c->product_model = g_strdup_printf ("%s %s", p->code, plan->en ? p->en : p->zh);
    }

  /* Spam has no customer record; everyone else has one. */
  if (t->cancel != KEFU_CANCEL_REASON_SPAM || t->status != KEFU_STATUS_CANCELLED)
    c->code = g_strdup_printf ("C%d", 1001 + (int) plan->index * 17 % 900);

  if (t->purchased > 0)
    {
      gint64 bought = seed->now - t->purchased * DAY;
      g_autofree char *date = format_date (seed, bought);
      g_autofree char *model = g_strdup (products[t->product].code);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (bought / G_USEC_PER_SEC);
      /* Made a month or two before it was sold. */
      g_autoptr(GDateTime) made = g_date_time_add_days (utc, -g_rand_int_range (seed->rand, 30,
                                                                                 90));
      char *dash = strchr (model, '-');

      if (dash != NULL)
        memmove (dash, dash + 1, strlen (dash));
      c->purchase_date = g_steal_pointer (&date);
      c->order_no = g_strdup_printf ("SO-%05d", g_rand_int_range (seed->rand, 10000, 100000));
      c->serial_no = g_strdup_printf ("%s-%02d%02d-%05d", model,
                                      g_date_time_get_year (made) % 100,
                                      g_date_time_get_month (made),
                                      g_rand_int_range (seed->rand, 1, 100000));
    }
}

/* The people on a ticket. */
typedef struct {
  const KefuUser *registrar;
  const KefuUser *dispatcher;   /* the supervisor who assigns */
  const KefuUser *assignee;
  const KefuUser *confirmer;
  const KefuUser *senior;       /* takes over after a reopen */
} DemoCast;

static void
cast_ticket (DemoSeed       *seed,
             const DemoPlan *plan,
             DemoCast       *cast)
{
  const DemoTicket *t = plan->scenario;
  KefuUser **staff = seed->staff;

  if (plan->en || plan->index % 5 == 4)
    cast->registrar = staff[ACCOUNT_AGENT2];
  else if (t->priority == 1 && plan->index % 2 == 1)
    cast->registrar = staff[ACCOUNT_SUPERVISOR];
  else
    cast->registrar = staff[ACCOUNT_AGENT];

  cast->confirmer = cast->registrar->role == KEFU_ROLE_AGENT
                    ? cast->registrar : staff[ACCOUNT_AGENT];

  if (g_strcmp0 (t->lead, "technical") == 0)
    {
      cast->dispatcher = staff[ACCOUNT_SUPERVISOR2];
      cast->assignee = plan->en || plan->index % 3 == 0
                       ? staff[ACCOUNT_TECHNICIAN2] : staff[ACCOUNT_TECHNICIAN];
      cast->senior = cast->assignee == staff[ACCOUNT_TECHNICIAN2]
                     ? staff[ACCOUNT_TECHNICIAN] : staff[ACCOUNT_TECHNICIAN2];
    }
  else if (g_strcmp0 (t->lead, "logistics") == 0)
    {
      cast->dispatcher = staff[ACCOUNT_SUPERVISOR];
      cast->assignee = staff[ACCOUNT_TECHNICIAN3];
      cast->senior = staff[ACCOUNT_SUPERVISOR];
    }
  else
    {
      cast->dispatcher = staff[ACCOUNT_SUPERVISOR];
      cast->assignee = plan->en ? staff[ACCOUNT_AGENT2] : staff[ACCOUNT_AGENT];
      cast->senior = staff[ACCOUNT_SUPERVISOR];
    }
}

/* Typical delays, in minutes, by priority (P1 first): open tickets that should still look
 * healthy use the brisk ones. */
static const int response_gaps[4][2] = { { 5, 30 }, { 15, 100 }, { 30, 360 }, { 60, 720 } };
static const int assign_gaps[4][2] = { { 5, 20 }, { 10, 60 }, { 20, 240 }, { 30, 480 } };
static const int work_gaps[4][2] = { { 60, 360 }, { 180, 1440 }, { 240, 2160 }, { 480, 4320 } };

typedef struct {
  DemoSeed       *seed;
  DemoPlan       *plan;
  DemoCast        cast;
  gboolean        brisk;      /* an open ticket that must not look old */
  int             p;          /* priority index 0..3 */
  gboolean        second_round;  /* DEMO_REOPEN: after the rejection */
} Planner;

static gint64
gap_response (Planner *pl)
{
  const DemoTicket *t = pl->plan->scenario;

  if (t->flags & DEMO_SLOW)
    {
      gint64 target = kefu_sla_policy_get_response (pl->seed->policy, t->priority).seconds
                      * G_USEC_PER_SEC;

      return random_fraction (pl->seed, target, 1.15, 1.9);
    }
  if (pl->brisk)
    return pl->p == 0 ? random_minutes (pl->seed, 4, 15) : random_minutes (pl->seed, 8, 35);
  return random_minutes (pl->seed, response_gaps[pl->p][0], response_gaps[pl->p][1]);
}

static gint64
gap_assign (Planner *pl)
{
  if (pl->brisk)
    return random_minutes (pl->seed, 4, pl->p == 0 ? 12 : 30);
  return random_minutes (pl->seed, assign_gaps[pl->p][0], assign_gaps[pl->p][1]);
}

static gint64
gap_accept (Planner *pl)
{
  return random_minutes (pl->seed, 4, pl->brisk ? 20 : 45);
}

static gint64
gap_work (Planner *pl)
{
  if (pl->brisk)
    return random_minutes (pl->seed, pl->p == 0 ? 15 : 25, pl->p == 0 ? 40 : 90);
  return random_minutes (pl->seed, work_gaps[pl->p][0], work_gaps[pl->p][1]);
}

static void
plan_contact (Planner        *pl,
              gint64          gap,
              const KefuUser *actor,
              const char     *text)
{
  add_step (pl->plan, STEP_CONTACT, gap, actor)->text = text;
}

static void
plan_note (Planner        *pl,
           gint64          gap,
           const KefuUser *actor,
           const char     *text)
{
  add_step (pl->plan, STEP_NOTE, gap, actor)->text = text;
}

static void
plan_status (Planner        *pl,
             gint64          gap,
             const KefuUser *actor,
             KefuStatus      status,
             const char     *reason)
{
  DemoStep *step = add_step (pl->plan, STEP_STATUS, gap, actor);

  step->status = status;
  step->text = reason;
}

static void
plan_assign (Planner        *pl,
             gint64          gap,
             const KefuUser *assignee)
{
  const DemoTicket *t = pl->plan->scenario;
  DemoStep *step = add_step (pl->plan, STEP_ASSIGN, gap, pl->cast.dispatcher);

  step->assignee = assignee;
  step->department = t->lead;
  step->support = t->support;
}

static void
plan_resolve (Planner            *pl,
              gint64              gap,
              KefuResolutionKind  kind,
              const char         *summary,
              int                 cost)
{
  DemoStep *step = add_step (pl->plan, STEP_RESOLVE, gap, pl->cast.assignee);

  step->resolution = kind;
  step->text = summary;
  step->cost_cents = (gint64) cost * 100;
  step->minutes = kind == KEFU_RESOLUTION_REPAIR || kind == KEFU_RESOLUTION_REPLACE
                  ? g_rand_int_range (pl->seed->rand, 45, 241)
                  : g_rand_int_range (pl->seed->rand, 10, 91);
}

static void
plan_confirm (Planner    *pl,
              gint64      gap,
              int         satisfaction,
              const char *comment)
{
  DemoStep *step = add_step (pl->plan, STEP_CONFIRM, gap, pl->cast.confirmer);

  step->value = satisfaction;
  step->text = comment;
}

static gint64
gap_confirm (Planner *pl)
{
  if (pl->plan->scenario->flags & DEMO_LATE_CONFIRM)
    return random_minutes (pl->seed, 14 * 60, 20 * 60);
  return random_minutes (pl->seed, 12, 45);
}

/* created → (priority) → first contact → assigned */
static void
plan_intake (Planner  *pl,
             gboolean  contact)
{
  DemoPlan *plan = pl->plan;
  const DemoTicket *t = plan->scenario;
  gboolean en = plan->en;

  add_step (plan, STEP_CREATE, 0, pl->cast.registrar);
  if (t->flags & DEMO_REPRIORITIZE)
    {
      DemoStep *step = add_step (plan, STEP_PRIORITY, random_minutes (pl->seed, 3, 12),
                                 pl->seed->staff[ACCOUNT_SUPERVISOR]);

      step->value = t->priority;
      plan_note (pl, random_minutes (pl->seed, 1, 3), pl->seed->staff[ACCOUNT_SUPERVISOR],
                 reprioritize_note_texts[en]);
    }
  if (contact)
    plan_contact (pl, gap_response (pl), pl->cast.registrar,
                  t->contact != NULL ? t->contact : text_of (plan, first_contact_texts));
}

static void
plan_dispatch (Planner *pl)
{
  plan_assign (pl, gap_assign (pl), pl->cast.assignee);
  if (pl->plan->scenario->priority == 1)
    plan_note (pl, random_minutes (pl->seed, 1, 4), pl->cast.dispatcher,
               p1_note_texts[pl->plan->en]);
}

/* Whether a technician goes to the customer for a resolution of @kind. */
static gboolean
needs_visit (const DemoTicket   *t,
             KefuResolutionKind  kind)
{
  return t->address != NULL && t->category == KEFU_CATEGORY_QUALITY &&
         (kind == KEFU_RESOLUTION_REPAIR || kind == KEFU_RESOLUTION_REPLACE);
}

/* The resolution the (current) assignee works towards. */
static KefuResolutionKind
planned_kind (const Planner *pl)
{
  const DemoTicket *t = pl->plan->scenario;

  return (t->flags & DEMO_REOPEN) && !pl->second_round ? t->first_kind : t->kind;
}

/* accepted → in progress, with the customer told */
static void
plan_start (Planner  *pl,
            gboolean  in_progress)
{
  DemoPlan *plan = pl->plan;
  gboolean visit = needs_visit (plan->scenario, planned_kind (pl));

  add_step (plan, STEP_ACCEPT, gap_accept (pl), pl->cast.assignee);
  plan_note (pl, random_minutes (pl->seed, 2, 8), pl->cast.assignee,
             visit ? accept_visit_texts[plan->en] : text_of (plan, accept_texts));
  if (in_progress)
    plan_status (pl, random_minutes (pl->seed, 5, pl->brisk ? 20 : 60), pl->cast.assignee,
                 KEFU_STATUS_IN_PROGRESS, NULL);
  plan_contact (pl, random_minutes (pl->seed, 5, 25), pl->cast.assignee,
                visit ? visit_booked_texts[plan->en] : text_of (plan, progress_contact_texts));
}

/* in progress → … → resolved */
static void
plan_work (Planner            *pl,
           KefuResolutionKind  kind,
           const char         *summary,
           int                 cost,
           gboolean            detours)
{
  DemoPlan *plan = pl->plan;
  const DemoTicket *t = plan->scenario;
  const KefuUser *assignee = pl->cast.assignee;
  gboolean en = plan->en;

  if (detours && (t->flags & DEMO_WAITED))
    {
      plan_status (pl, gap_work (pl) / 3, assignee, KEFU_STATUS_WAITING_CUSTOMER,
                   text_of (plan, waiting_customer_texts));
      plan_note (pl, random_minutes (pl->seed, 240, 1500), assignee, customer_replied_texts[en]);
      plan_status (pl, random_minutes (pl->seed, 2, 10), assignee, KEFU_STATUS_IN_PROGRESS,
                   NULL);
    }
  if (detours && (t->flags & DEMO_PARTS))
    {
      plan_note (pl, gap_work (pl) / 3, assignee, text_of (plan, diagnosis_texts));
      plan_status (pl, random_minutes (pl->seed, 2, 10), assignee, KEFU_STATUS_WAITING_PARTS,
                   text_of (plan, waiting_parts_texts));
      plan_contact (pl, random_minutes (pl->seed, 5, 20), assignee, parts_contact_texts[en]);
      plan_status (pl, random_minutes (pl->seed, 24 * 60, 60 * 60), assignee,
                   KEFU_STATUS_IN_PROGRESS, NULL);
      plan_contact (pl, random_minutes (pl->seed, 5, 30), assignee, parts_arrived_texts[en]);
    }
  if (needs_visit (t, kind))
    {
      plan_note (pl, gap_work (pl), assignee, visit_done_texts[en]);
      plan_resolve (pl, random_minutes (pl->seed, 5, 30), kind, summary, cost);
    }
  else
    plan_resolve (pl, gap_work (pl), kind, summary, cost);
}

/* The rejected first round: resolved, confirmed unsatisfied → reopened (escalated). */
static void
plan_rejected_round (Planner *pl)
{
  const DemoTicket *t = pl->plan->scenario;

  plan_work (pl, t->first_kind, t->first_summary, t->first_cost, FALSE);
  plan_confirm (pl, (t->flags & DEMO_TRIED) ? random_minutes (pl->seed, 20 * 60, 27 * 60)
                                            : gap_confirm (pl),
                t->unsatisfied, t->unsatisfied_comment);
}

/* After a rejection the supervisor apologises and hands the case to someone more senior. */
static void
plan_handover (Planner *pl)
{
  gboolean en = pl->plan->en;

  plan_note (pl, random_minutes (pl->seed, 10, 40), pl->cast.dispatcher, reopen_note_texts[en]);
  plan_contact (pl, random_minutes (pl->seed, 5, 20), pl->cast.dispatcher,
                reopen_contact_texts[en]);
  plan_assign (pl, random_minutes (pl->seed, 3, 15), pl->cast.senior);
  pl->cast.assignee = pl->cast.senior;
  pl->second_round = TRUE;
}

static void
plan_ticket (DemoSeed *seed,
             DemoPlan *plan)
{
  const DemoTicket *t = plan->scenario;
  gboolean en = plan->en;
  Planner pl = { seed, plan };
  KefuUser **staff = seed->staff;
  gboolean open = t->status != KEFU_STATUS_CLOSED && t->status != KEFU_STATUS_CANCELLED;
  gint64 window;

  cast_ticket (seed, plan, &pl.cast);
  pl.p = t->priority - 1;
  pl.brisk = open && t->clock != CLOCK_BREACHED && !(t->flags & DEMO_STALE);

  plan->intake_priority = (t->flags & DEMO_REPRIORITIZE) && t->priority < 4
                          ? t->priority + 1 : t->priority;
  switch (t->channel)
    {
    case KEFU_CHANNEL_EMAIL:
    case KEFU_CHANNEL_WEB_FORM:
    case KEFU_CHANNEL_SOCIAL:
    case KEFU_CHANNEL_PLATFORM:
      plan->submitted_before = random_minutes (seed, 10, pl.brisk ? 60 : 600);
      break;
    default:
      plan->submitted_before = random_minutes (seed, 1, 8);
      break;
    }

  switch (t->status)
    {
    case KEFU_STATUS_NEW:
      plan_intake (&pl, (t->flags & DEMO_CONTACTED) != 0);
      break;

    case KEFU_STATUS_CANCELLED:
      if (t->flags & DEMO_DUPLICATE)
        {
          /* Spotted at once: the original is only an hour or two old. */
          plan_intake (&pl, FALSE);
          add_step (plan, STEP_DUPLICATE_NOTE, random_minutes (seed, 2, 5), pl.cast.registrar);
          add_step (plan, STEP_STATUS, random_minutes (seed, 3, 10),
                    staff[ACCOUNT_SUPERVISOR])->status = KEFU_STATUS_CANCELLED;
          break;
        }
      plan_intake (&pl, t->contact != NULL);
      add_step (plan, STEP_STATUS, random_minutes (seed, 10, 90),
                staff[ACCOUNT_SUPERVISOR])->status = KEFU_STATUS_CANCELLED;
      break;

    case KEFU_STATUS_ASSIGNED:
      plan_intake (&pl, TRUE);
      plan_dispatch (&pl);
      if (t->flags & DEMO_REOPEN)
        {
          plan_start (&pl, TRUE);
          plan->stretch = plan->steps->len;
          plan_rejected_round (&pl);
          plan_handover (&pl);
        }
      break;

    case KEFU_STATUS_ACCEPTED:
      plan_intake (&pl, TRUE);
      plan_dispatch (&pl);
      /* The visit or call is booked for later: the ticket may have waited since. */
      plan_start (&pl, FALSE);
      plan->stretch = plan->steps->len - 1;
      break;

    case KEFU_STATUS_IN_PROGRESS:
      plan_intake (&pl, TRUE);
      plan_dispatch (&pl);
      plan_start (&pl, TRUE);
      if (t->flags & DEMO_STALE)
        plan_note (&pl, random_minutes (seed, 26 * 60, 40 * 60), pl.cast.assignee,
                   text_of (plan, diagnosis_texts));
      plan->stretch = plan->steps->len;
      plan_contact (&pl, gap_work (&pl), pl.cast.assignee, text_of (plan, progress_contact_texts));
      break;

    case KEFU_STATUS_WAITING_CUSTOMER:
      plan_intake (&pl, TRUE);
      plan_dispatch (&pl);
      plan_start (&pl, TRUE);
      plan->stretch = plan->steps->len;
      plan_contact (&pl, gap_work (&pl), pl.cast.assignee, text_of (plan, waiting_contact_texts));
      plan_status (&pl, random_minutes (seed, 2, 10), pl.cast.assignee,
                   KEFU_STATUS_WAITING_CUSTOMER, text_of (plan, waiting_customer_texts));
      break;

    case KEFU_STATUS_WAITING_PARTS:
      plan_intake (&pl, TRUE);
      plan_dispatch (&pl);
      plan_start (&pl, TRUE);
      plan->stretch = plan->steps->len;
      plan_note (&pl, (t->flags & DEMO_STALE) ? random_minutes (seed, 20 * 60, 30 * 60)
                                               : gap_work (&pl),
                 pl.cast.assignee, text_of (plan, diagnosis_texts));
      plan_status (&pl, random_minutes (seed, 2, 10), pl.cast.assignee,
                   KEFU_STATUS_WAITING_PARTS, text_of (plan, waiting_parts_texts));
      plan_contact (&pl, random_minutes (seed, 5, 20), pl.cast.assignee,
                    parts_contact_texts[en]);
      break;

    case KEFU_STATUS_RESOLVED:
      plan_intake (&pl, TRUE);
      plan_dispatch (&pl);
      plan_start (&pl, TRUE);
      plan->stretch = plan->steps->len;
      plan_work (&pl, t->kind, t->summary, t->cost, TRUE);
      break;

    case KEFU_STATUS_REOPENED:
      plan_intake (&pl, TRUE);
      plan_dispatch (&pl);
      plan_start (&pl, TRUE);
      plan->stretch = plan->steps->len;
      plan_rejected_round (&pl);
      break;

    case KEFU_STATUS_CLOSED:
      plan_intake (&pl, TRUE);
      plan_dispatch (&pl);
      plan_start (&pl, TRUE);
      if (t->flags & DEMO_REOPEN)
        {
          plan_rejected_round (&pl);
          plan_handover (&pl);
          plan_start (&pl, TRUE);
        }
      plan_work (&pl, t->kind, t->summary, t->cost, TRUE);
      plan_confirm (&pl, gap_confirm (&pl), t->satisfaction, t->comment);
      break;

    case KEFU_STATUS_LAST:
    default:
      g_assert_not_reached ();
    }

  if (!open)
    return;

  /* How long ago the last step was, so that the clocks read as the scenario asks at now. */
  switch (t->status)
    {
    case KEFU_STATUS_WAITING_CUSTOMER:
      plan->tail = random_minutes (seed, 2 * 60, 26 * 60);   /* paused: any time */
      return;
    case KEFU_STATUS_ASSIGNED:
      window = clock_window (seed, KEFU_SLA_CLOCK_ACCEPT);
      break;
    case KEFU_STATUS_RESOLVED:
      window = clock_window (seed, KEFU_SLA_CLOCK_CONFIRM);
      break;
    case KEFU_STATUS_NEW:
      /* Nobody has taken it: no update is owed yet. Unanswered, its response clock matters,
       * counted from when the customer reported (the steps after intake and the time before
       * registration are taken off below). Answered, nothing is near due. */
      if (!(t->flags & DEMO_CONTACTED))
        {
          window = kefu_sla_policy_get_response (seed->policy, t->priority).seconds
                   * G_USEC_PER_SEC;
          break;
        }
      window = update_window (seed, t->priority);
      break;
    default:
      window = update_window (seed, t->priority);
      break;
    }

  switch (t->clock)
    {
    case CLOCK_OK:
      plan->tail = random_fraction (seed, window, 0.15, 0.6);
      break;
    case CLOCK_WARNING:
      plan->tail = random_fraction (seed, window, 0.85, 0.95);
      break;
    case CLOCK_BREACHED:
    default:
      plan->tail = random_fraction (seed, window, 1.4, 3.5);
      break;
    }

  if (t->status == KEFU_STATUS_NEW && !(t->flags & DEMO_CONTACTED))
    plan->tail = MAX (plan->tail - plan->span - plan->submitted_before, 0);
}

/* Closed and cancelled tickets: registered at a plausible local time of day 1½ to 21 days ago,
 * finished at least an hour before now. */
static gint64
place_in_past (DemoSeed *seed,
               gint64    span)
{
  gint64 ago = random_between (seed, 36 * HOUR, 21 * DAY);
  int minute_of_day = g_rand_int_range (seed->rand, 8 * 60 + 30, 20 * 60 + 30);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc ((seed->now - ago) / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, seed->tz);
  g_autoptr(GDateTime) day = g_date_time_new (seed->tz,
                                              g_date_time_get_year (local),
                                              g_date_time_get_month (local),
                                              g_date_time_get_day_of_month (local),
                                              minute_of_day / 60, minute_of_day % 60,
                                              g_rand_int_range (seed->rand, 0, 60));
  gint64 created = day != NULL ? g_date_time_to_unix (day) * G_USEC_PER_SEC
                                : seed->now - ago;   /* a skipped local time (DST) */

  while (created + span > seed->now - HOUR)
    created -= DAY;
  return created;
}

static int
local_minute_of_day (DemoSeed *seed,
                     gint64    usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, seed->tz);

  return g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
}

/* Open tickets end @plan->tail before now. Those past intake are aged by stretching the gap of
 * their working step — to an age their resolution clock still allows when the scenario wants
 * them healthy — and moved to a plausible local time of day for the channel: phone and walk-in
 * tickets come in 08:30–20:30, written ones 07:00–23:30. The clocks at now do not change: they
 * count from the last steps, which stay where they are. */
static gint64
place_open (DemoSeed *seed,
            DemoPlan *plan)
{
  /* Ages by priority (P1 first), in hours: a random target and the most a healthy one may
   * reach (80 % of the resolution target, less a margin). */
  static const int age_lo[4] = { 4, 10, 18, 24 };
  static const int age_hi[4] = { 12, 30, 48, 66 };
  static const int age_max[4] = { 16, 34, 54, 70 };
  const DemoTicket *t = plan->scenario;
  int p = t->priority - 1;
  gint64 base = seed->now - plan->tail - plan->span;
  gint64 max_extra, extra, created;
  gboolean spoken = t->channel == KEFU_CHANNEL_PHONE || t->channel == KEFU_CHANNEL_ONSITE;
  int day_start = spoken ? 8 * 60 + 30 : 7 * 60;
  int day_end = spoken ? 20 * 60 + 30 : 23 * 60 + 30;
  int minute;

  if (plan->stretch == 0)
    return base;

  max_extra = age_max[p] * HOUR - (seed->now - base);
  if (t->flags & DEMO_STALE)
    max_extra += 24 * HOUR;
  if (t->status == KEFU_STATUS_RESOLVED)   /* its resolution clock has stopped */
    max_extra = MAX (max_extra, 16 * HOUR);
  if (max_extra <= 0)
    return base;

  extra = random_minutes (seed, age_lo[p] * 60, age_hi[p] * 60) - (seed->now - base);
  extra = CLAMP (extra, 0, max_extra);
  created = base - extra;

  minute = local_minute_of_day (seed, created);
  if (minute < day_start || minute > day_end)
    {
      /* Earlier, to the evening before (or this evening, after midnight) … */
      int back = minute < day_start ? minute + 24 * 60 - day_end : minute - day_end;
      gint64 earlier = created - (back + g_rand_int_range (seed->rand, 5, 60)) * MINUTE;

      if (base - earlier <= max_extra)
        created = earlier;
      else
        {
          /* … or later, to the morning, when the stretch allows. */
          int ahead = minute < day_start ? day_start - minute : 24 * 60 - minute + day_start;
          gint64 later = created + (ahead + g_rand_int_range (seed->rand, 5, 30)) * MINUTE;

          if (later <= base)
            created = later;
        }
    }

  g_array_index (plan->steps, DemoStep, plan->stretch).gap += base - created;
  plan->span += base - created;
  return created;
}

static int
compare_plans (gconstpointer a,
               gconstpointer b)
{
  const DemoPlan *pa = *(DemoPlan * const *) a;
  const DemoPlan *pb = *(DemoPlan * const *) b;

  if (pa->created_at != pb->created_at)
    return pa->created_at < pb->created_at ? -1 : 1;
  return pa->index < pb->index ? -1 : pa->index > pb->index;
}

static void
make_plans (DemoSeed *seed)
{
  DemoPlan *previous = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      DemoPlan *plan = g_new0 (DemoPlan, 1);
      const DemoTicket *t = &scenarios[i];

      plan->index = i;
      plan->scenario = t;
      plan->en = is_ascii (t->description);
      plan->steps = g_array_new (FALSE, TRUE, sizeof (DemoStep));
      if (t->flags & DEMO_DUPLICATE)
        plan->original = previous;
      fill_customer (seed, plan);
      plan_ticket (seed, plan);
      g_ptr_array_add (seed->plans, plan);
      previous = plan;
    }

  /* Place them in time: open ones backwards from now, the rest in the past; a duplicate comes
   * in a little after its original. */
  for (guint i = 0; i < seed->plans->len; i++)
    {
      DemoPlan *plan = g_ptr_array_index (seed->plans, i);
      const DemoTicket *t = plan->scenario;

      if (plan->original != NULL)
        continue;
      if (t->status == KEFU_STATUS_CLOSED || t->status == KEFU_STATUS_CANCELLED)
        plan->created_at = place_in_past (seed, plan->span);
      else
        plan->created_at = place_open (seed, plan);
    }
  for (guint i = 0; i < seed->plans->len; i++)
    {
      DemoPlan *plan = g_ptr_array_index (seed->plans, i);

      if (plan->original == NULL)
        continue;
      plan->created_at = MIN (plan->original->created_at + random_minutes (seed, 15, 25),
                              seed->now - plan->span - MINUTE);
      /* Never before the original. */
      plan->created_at = MAX (plan->created_at, plan->original->created_at + MINUTE);
    }

  for (guint i = 0; i < seed->plans->len; i++)
    {
      DemoPlan *plan = g_ptr_array_index (seed->plans, i);
      gint64 at = plan->created_at;

      for (guint j = 0; j < plan->steps->len; j++)
        {
          DemoStep *step = &g_array_index (plan->steps, DemoStep, j);

          at += step->gap;
          step->at = at;
        }
    }
}

/* ---- the write job ----------------------------------------------------------------------- */

static gboolean
insert_accounts (DemoSeed  *seed,
                 KefuDb    *db,
                 GError   **error)
{
  /* The team existed before the tickets did. */
  gint64 created = seed->now - 90 * DAY;

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      sqlite3_stmt *stmt = kefu_db_prepare (db,
                                            "INSERT INTO users (username, display_name, role,"
                                            " department, password_hash, active, created_at,"
                                            " updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
                                            error);
      if (stmt == NULL)
        return FALSE;
      kefu_db_bind_text (stmt, 1, accounts[i].username);
      kefu_db_bind_text (stmt, 2, accounts[i].display_name);
      kefu_db_bind_text (stmt, 3, accounts[i].role);
      kefu_db_bind_text (stmt, 4, accounts[i].department);
      kefu_db_bind_text (stmt, 5, seed->password_hash);
      sqlite3_bind_int64 (stmt, 6, created);
      sqlite3_bind_int64 (stmt, 7, created);
      if (!kefu_db_step_done (db, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autoptr(GError) local_error = NULL;

      seed->staff[i] = kefu_user_load_by_name (db, accounts[i].username, NULL, &local_error);
      if (seed->staff[i] == NULL)
        {
          if (local_error == NULL)
            g_set_error (&local_error, KEFU_ERROR, KEFU_ERROR_INTERNAL,
                         "demo account %s vanished", accounts[i].username);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return TRUE;
}

static JsonNode *
build_intake (const DemoPlan *plan,
              gint64          registered_at)
{
  const DemoTicket *t = plan->scenario;
  const KefuCustomer *c = &plan->customer;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *submitted = kefu_time_to_iso8601 (registered_at - plan->submitted_before);
  const struct {
    const char *name;
    const char *value;
  } fields[] = {
    { "name", c->name },
    { "phone", c->phone },
    { "email", c->email },
    { "code", c->code },
    { "order_no", c->order_no },
    { "product_model", c->product_model },
    { "serial_no", c->serial_no },
    { "purchase_date", c->purchase_date },
    { "address", c->address },
  };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, kefu_channel_to_string (t->channel));
  json_builder_set_member_name (b, "stage");
  json_builder_add_string_value (b, kefu_stage_to_string (t->stage));
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, kefu_category_to_string (t->category));
  json_builder_set_member_name (b, "subcategory");
  json_builder_add_string_value (b, t->subcategory);
  json_builder_set_member_name (b, "priority");
  json_builder_add_int_value (b, plan->intake_priority);
  json_builder_set_member_name (b, "customer");
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].value != NULL)
      {
        json_builder_set_member_name (b, fields[i].name);
        json_builder_add_string_value (b, fields[i].value);
      }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, t->description);
  json_builder_set_member_name (b, "submitted_at");
  json_builder_add_string_value (b, submitted);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static const char *
step_name (StepKind kind)
{
  static const char *const names[] = {
    "create", "priority", "contact", "note", "duplicate note", "assign", "accept", "status",
    "resolve", "confirm",
  };

  return names[kind];
}

static KefuTicket *
run_step (DemoSeed       *seed,
          KefuDb         *db,
          const DemoPlan *plan,
          const DemoStep *step,
          KefuTicket     *ticket,
          GError        **error)
{
  KefuOpContext ctx = { seed->policy, seed->tz, step->at, step->actor };
  const char *number = ticket != NULL ? ticket->number : NULL;
  gint64 version = ticket != NULL ? ticket->version : -1;

  switch (step->kind)
    {
    case STEP_CREATE:
      {
        g_autoptr(JsonNode) body = build_intake (plan, step->at);
        g_autoptr(KefuTicket) intake = kefu_validate_intake (body, step->at, error);

        if (intake == NULL)
          return NULL;
        return kefu_ticket_op_create (db, &ctx, intake, error);
      }

    case STEP_PRIORITY:
      {
        g_autoptr(JsonBuilder) b = json_builder_new ();
        g_autoptr(JsonNode) body = NULL;

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "priority");
        json_builder_add_int_value (b, step->value);
        json_builder_end_object (b);
        body = json_builder_get_root (b);
        return kefu_ticket_op_patch (db, &ctx, number, version, body, error);
      }

    case STEP_CONTACT:
    case STEP_NOTE:
      return kefu_ticket_op_add_note (db, &ctx, number, version, step->text,
                                      step->kind == STEP_CONTACT, error);

    case STEP_DUPLICATE_NOTE:
      {
        g_autofree char *text = NULL;

        if (plan->en)
          text = g_strdup_printf ("Same customer and order as %s; handled there.",
                                  plan->original->number);
        else
          text = g_strdup_printf ("与工单 %s 为同一客户同一订单的问题，合并至该工单处理。",
                                  plan->original->number);
        return kefu_ticket_op_add_note (db, &ctx, number, version, text, FALSE, error);
      }

    case STEP_ASSIGN:
      {
        const char *support[] = { step->support, NULL };

        return kefu_ticket_op_assign (db, &ctx, number, version, step->assignee->id,
                                      step->department,
                                      step->support != NULL ? support : NULL, error);
      }

    case STEP_ACCEPT:
      return kefu_ticket_op_accept (db, &ctx, number, version, error);

    case STEP_STATUS:
      {
        const char *reason = step->text;

        if (step->status == KEFU_STATUS_CANCELLED)
          reason = kefu_cancel_reason_to_string (plan->scenario->cancel);
        return kefu_ticket_op_set_status (db, &ctx, number, version, step->status, reason,
                                          error);
      }

    case STEP_RESOLVE:
      {
        KefuResolution resolution = {
          .kind = step->resolution,
          .summary = (char *) step->text,
          .cost_cents = step->cost_cents,
          .minutes_spent = step->minutes,
        };

        return kefu_ticket_op_resolve (db, &ctx, number, version, &resolution, error);
      }

    case STEP_CONFIRM:
      {
        KefuConfirmation confirmation = {
          .solved = step->value >= 3,
          .satisfaction = step->value,
          .comment = (char *) step->text,
          .confirmed_at = step->at,
        };

        return kefu_ticket_op_confirm (db, &ctx, number, version, &confirmation, error);
      }

    default:
      break;
    }
  g_assert_not_reached ();
  return NULL;
}

static gboolean
replay_plan (DemoSeed  *seed,
             KefuDb    *db,
             DemoPlan  *plan,
             GError   **error)
{
  g_autoptr(KefuTicket) ticket = NULL;
  g_autoptr(KefuTicket) current = NULL;
  g_autoptr(KefuTicketClock) clock = NULL;

  for (guint i = 0; i < plan->steps->len; i++)
    {
      const DemoStep *step = &g_array_index (plan->steps, DemoStep, i);
      KefuTicket *next = run_step (seed, db, plan, step, ticket, error);

      if (next == NULL)
        {
          g_prefix_error (error, "demo ticket %u (%s), step %u (%s): ", plan->index,
                          ticket != NULL ? ticket->number : "new", i, step_name (step->kind));
          return FALSE;
        }
      g_clear_pointer (&ticket, kefu_ticket_unref);
      ticket = next;
    }

  if (ticket->status != plan->scenario->status)
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_INTERNAL,
                   "demo ticket %u (%s) ended as %s instead of %s", plan->index, ticket->number,
                   kefu_status_to_string (ticket->status),
                   kefu_status_to_string (plan->scenario->status));
      return FALSE;
    }
  plan->number = g_strdup (ticket->number);

  /* The operations computed the clocks' state at the time of each step: bring it to now, as the
   * SLA scheduler will find it when the server starts. */
  current = kefu_ticket_repo_load (db, plan->number, FALSE, &clock, error);
  if (current == NULL)
    return FALSE;
  kefu_ticket_recompute_sla (current, clock, seed->policy, seed->now);
  if (!kefu_ticket_repo_update (db, current, clock, error))
    return FALSE;
  plan->state = current->sla.state;
  return TRUE;
}

/* ---- field visits and returns ----------------------------------------------------------- */

/* Whole seconds between the ticket's last change and now, for @n steps after it. */
static gint64
after_sales_gap (const KefuTicket *ticket,
                 gint64            now,
                 guint             n)
{
  gint64 gap = MIN (10 * MINUTE, (now - ticket->updated_at) / (n + 1));

  return MAX (gap, 0) / G_USEC_PER_SEC * G_USEC_PER_SEC;
}

/* A few open tickets get visits and returns for the client to show: a visit scheduled for
 * tomorrow, a visit done today, a return on its way back. Deterministic: the first matching tickets in
 * registration order, times counted from each ticket's last change, and no randomness. */
static gboolean
seed_after_sales (DemoSeed   *seed,
                  KefuDb     *db,
                  GPtrArray  *order,
                  GError    **error)
{
  guint visits = 0;
  gboolean returned = FALSE;

  for (guint i = 0; i < order->len && (visits < 2 || !returned); i++)
    {
      DemoPlan *plan = g_ptr_array_index (order, i);
      const DemoTicket *t = plan->scenario;
      g_autoptr(KefuTicket) ticket = NULL;
      g_autoptr(KefuTicketClock) clock = NULL;
      gboolean working = t->status == KEFU_STATUS_ACCEPTED ||
                         t->status == KEFU_STATUS_IN_PROGRESS ||
                         t->status == KEFU_STATUS_WAITING_PARTS;
      gboolean touched = FALSE;

      ticket = kefu_ticket_repo_load (db, plan->number, FALSE, NULL, error);
      if (ticket == NULL)
        return FALSE;

      if (visits < 2 && working && t->address != NULL && ticket->assignee.id != 0)
        {
          const KefuUser *technician = NULL;
          KefuVisitInput input = { 0 };
          KefuOpContext ctx = { seed->policy, seed->tz, 0, NULL };
          gint64 gap = after_sales_gap (ticket, seed->now, 4);
          gint64 at = ticket->updated_at;
          gint64 visit_id;

          for (guint a = 0; a < N_ACCOUNTS; a++)
            if (seed->staff[a] != NULL && seed->staff[a]->id == ticket->assignee.id)
              technician = seed->staff[a];
          if (technician == NULL || technician->role != KEFU_ROLE_TECHNICIAN)
            goto returns;

          ctx.actor = technician;
          ctx.now = at += gap;
          /* The first: tomorrow, a whole hour; the second: this morning, and done. */
          input.scheduled_at = visits == 0
                               ? (seed->now / HOUR + 20) * HOUR
                               : at;
          input.parts = g_strdup (t->flags & DEMO_PARTS ? (plan->en ? "Spare parts" : "备件")
                                                        : NULL);
          g_clear_pointer (&ticket, kefu_ticket_unref);
          ticket = kefu_ticket_op_add_visit (db, &ctx, plan->number, -1, &input, error);
          kefu_visit_input_clear (&input);
          if (ticket == NULL)
            return FALSE;
          visit_id = ((KefuVisit *) g_ptr_array_index (ticket->visits, 0))->id;

          if (visits == 1)
            {
              KefuTicket *next;

              ctx.now = at += gap;
              next = kefu_ticket_op_update_visit (db, &ctx, plan->number, -1, visit_id,
                                                  KEFU_VISIT_ACTION_ARRIVE, &input, error);
              if (next == NULL)
                return FALSE;
              kefu_ticket_unref (ticket);
              ticket = next;

              ctx.now = at += gap;
              input.outcome = g_strdup (plan->en ? "Checked on site; the part is replaced and "
                                                   "the appliance works again."
                                                 : "上门检测并更换故障部件，试机正常。");
              next = kefu_ticket_op_update_visit (db, &ctx, plan->number, -1, visit_id,
                                                  KEFU_VISIT_ACTION_DONE, &input, error);
              kefu_visit_input_clear (&input);
              if (next == NULL)
                return FALSE;
              kefu_ticket_unref (ticket);
              ticket = next;
            }
          visits++;
          touched = TRUE;
        }

    returns:
      if (!returned && !touched && kefu_status_is_open (t->status) &&
          (t->category == KEFU_CATEGORY_LOGISTICS || t->category == KEFU_CATEGORY_QUALITY))
        {
          KefuOpContext ctx = { seed->policy, seed->tz, 0, seed->staff[ACCOUNT_AGENT] };
          gint64 gap = after_sales_gap (ticket, seed->now, 3);
          gint64 at = ticket->updated_at;
          KefuTicket *next;
          gint64 return_id;

          ctx.now = at += gap;
          next = kefu_ticket_op_add_return (db, &ctx, plan->number, -1,
                                            KEFU_RETURN_TYPE_EXCHANGE,
                                            t->category == KEFU_CATEGORY_LOGISTICS
                                            ? KEFU_RETURN_REASON_DAMAGED
                                            : KEFU_RETURN_REASON_QUALITY,
                                            0, plan->en ? "The customer asks for an exchange."
                                                        : "客户要求换货。", NULL, error);
          if (next == NULL)
            return FALSE;
          g_clear_pointer (&ticket, kefu_ticket_unref);
          ticket = next;
          return_id = ((KefuReturn *) g_ptr_array_index (ticket->returns, 0))->id;

          ctx.actor = seed->staff[ACCOUNT_SUPERVISOR];
          ctx.now = at += gap;
          next = kefu_ticket_op_update_return (db, &ctx, plan->number, -1, return_id,
                                               KEFU_RETURN_STEP_APPROVED, NULL, -1, error);
          if (next == NULL)
            return FALSE;
          kefu_ticket_unref (ticket);
          ticket = next;

          ctx.actor = seed->staff[ACCOUNT_TECHNICIAN3];   /* of the logistics department */
          ctx.now = at += gap;
          next = kefu_ticket_op_update_return (db, &ctx, plan->number, -1, return_id,
                                               KEFU_RETURN_STEP_PICKUP_ARRANGED,
                                               plan->en ? "Courier booked." : "已预约快递上门取件。",
                                               -1, error);
          if (next == NULL)
            return FALSE;
          kefu_ticket_unref (ticket);
          ticket = next;
          returned = TRUE;
          touched = TRUE;
        }

      if (touched)
        {
          g_autoptr(KefuTicket) current = kefu_ticket_repo_load (db, plan->number, FALSE,
                                                                 &clock, error);

          if (current == NULL)
            return FALSE;
          kefu_ticket_recompute_sla (current, clock, seed->policy, seed->now);
          if (!kefu_ticket_repo_update (db, current, clock, error))
            return FALSE;
          plan->state = current->sla.state;
        }
    }

  return TRUE;
}

static gpointer
seed_job (KefuDb   *db,
          gpointer  data,
          GError  **error)
{
  DemoSeed *seed = data;
  g_autoptr(GPtrArray) order = NULL;
  guint states[KEFU_SLA_STATE_LAST] = { 0 };

  if (!insert_accounts (seed, db, error))
    return NULL;

  make_plans (seed);

  /* Ticket numbers come from the registration time: create in that order. */
  order = g_ptr_array_copy (seed->plans, NULL, NULL);
  g_ptr_array_set_free_func (order, NULL);   /* the copy would free the plans too */
  g_ptr_array_sort (order, compare_plans);
  for (guint i = 0; i < order->len; i++)
    {
      DemoPlan *plan = g_ptr_array_index (order, i);

      if (!replay_plan (seed, db, plan, error))
        return NULL;
      if (kefu_status_is_open (plan->scenario->status)
          || plan->scenario->status == KEFU_STATUS_RESOLVED)
        states[plan->state]++;
    }

  if (!seed_after_sales (seed, db, order, error))
    return NULL;

  g_debug ("demo: %u accounts, %u tickets; open clocks %u ok, %u warning, %u breached",
           N_ACCOUNTS, order->len, states[KEFU_SLA_STATE_OK], states[KEFU_SLA_STATE_WARNING],
           states[KEFU_SLA_STATE_BREACHED]);
  return NULL;
}

gboolean
kefu_demo_seed (KefuStore     *store,
                KefuSlaPolicy *policy,
                GTimeZone     *tz,
                gint64         now,
                const char    *password_hash,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  DemoSeed seed = { 0 };

  g_return_val_if_fail (KEFU_IS_STORE (store), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (tz != NULL, FALSE);
  g_return_val_if_fail (password_hash != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  seed.policy = policy;
  seed.tz = tz;
  seed.now = now;
  seed.password_hash = password_hash;
  seed.rand = g_rand_new_with_seed (DEMO_RANDOM_SEED);
  seed.plans = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_plan_free);

  /* One job: the demo data is there entirely or not at all. The job only reads @seed's policy
   * and zone while this thread waits for it. */
  kefu_store_write_sync (store, seed_job, &seed, NULL, &local_error);

  for (guint i = 0; i < N_ACCOUNTS; i++)
    g_clear_pointer (&seed.staff[i], kefu_user_free);
  g_ptr_array_unref (seed.plans);
  g_rand_free (seed.rand);

  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "demo data: ");
      return FALSE;
    }
  return TRUE;
}
