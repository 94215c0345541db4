"""Build the Kizuna Store customer-support sentiment corpus.

Every row below was written by hand by the kizuna team for this shop's topics
(orders, deliveries, returns, refunds, invoices, payments, accounts, the app and
site, the products we sell) plus some general review-style and opinion
sentences.  The script only:

  * reads the hand-written blocks (one message per line),
  * fills the few {order} / {email} / {amount} placeholders with seeded values,
  * drops near-duplicates (lowercase, keep letters only),
  * shuffles with a fixed seed (13) and splits 85 / 15 into train / heldout.

Run:  /work/main/.venv/bin/python data/sentiment/build_corpus.py
"""
from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

SEED = 13
HELDOUT_FRACTION = 0.15
HERE = Path(__file__).resolve().parent

BLOCKS: list[tuple[str, str, str]] = []


def add(label: str, topic: str, text: str) -> None:
    assert label in {"negative", "neutral", "positive"}, label
    BLOCKS.append((label, topic, text))


# ---------------------------------------------------------------------------
# NEGATIVE
# ---------------------------------------------------------------------------

add("negative", "late delivery", """
My order was supposed to arrive on Tuesday and it's now Friday. Where is it?
Still no sign of my parcel. The tracking hasn't moved in six days.
Order {order} was due last week and nobody can tell me where it is.
I paid for express delivery and it took nine days. What exactly did I pay for?
The tracking page has said "out for delivery" since Monday. It's Thursday.
Third time the delivery date has been pushed back. I'm fed up.
I needed this for my daughter's birthday on Saturday and it still hasn't shipped.
Your courier marked it as delivered but there is nothing at my door.
Two weeks and counting. I'm starting to think this package doesn't exist.
It says dispatched but the carrier has no record of it at all.
I was home all day waiting and the driver left a card saying nobody answered. I was literally sitting by the door.
The estimated delivery keeps changing every time I refresh the page.
Why does it take 12 days to send something "in stock"?
My parcel has been sitting at the depot for a week. Nobody seems to care.
Ordered the winter coat in November, it's now nearly January. Bit pointless now isn't it.
Delivery was meant to be 3-5 working days. We're on day 14.
Honestly the slowest delivery I've ever experienced from any online shop.
The parcel went to the wrong city and now it's apparently coming back to you first?!
I've been checking the tracking every hour like an idiot. Still "processing".
Christmas present arrived on the 28th. Thanks for ruining that one.
Ordered on the 3rd, it's the 20th, and I've had zero updates.
You promised next-day delivery. It came four days later.
The courier keeps rescheduling without asking me.
Still waiting on {order}. This is getting ridiculous.
Your website said "arrives tomorrow" when I ordered. That was eight days ago.
I had to take a day off work for a delivery that never came.
Package is "in transit" for 10 days, between two towns 40 km apart.
It's been stuck in customs for three weeks and you won't help me chase it.
Delivery window was 8 to 12. It's 6pm. Nothing.
The parcel was left with a neighbour I've never met and now I can't find it.
I'm really disappointed, the delivery took way longer than you said it would.
Every single order I've placed this year has been late.
Shipping used to be quick with you. Lately it's just awful.
The item was meant to be here before my trip. I left without it.
Where's my stuff?? Ordered ages ago
Honestly how hard is it to send a box on time
Delivery date has been "tomorrow" for five days straight.
My order hasn't even left the warehouse after a week. Why take my money so quickly then?
The driver didn't even knock, just left a "sorry we missed you" note.
I've waited long enough. If it's not here by Monday I want a refund.
Parcel shows as returned to sender and I have no idea why. I gave the right address.
It's day 11 and the tracking number you gave me doesn't work on the courier's site.
Apparently my parcel has been "delayed due to unforeseen circumstances" for a fortnight.
Supposedly shipped on Monday, yet the label was only created on Thursday. Bit misleading.
Your delivery partner is a joke. Third missed slot this month.
Late again. I don't even know why I'm surprised.
I ordered the express option specifically because I needed it by Friday. It's Monday now.
Half my order came, the other half is "on its way" for two weeks now.
They tried to deliver at 7am on a Sunday, no one answered, so now it's back at the depot. Brilliant system.
The pick-up point you sent it to closed down months ago.
My order is lost somewhere and no one will take responsibility.
Seriously, how is it still not here
Day 9. The tracking map shows my parcel in another country.
This delay has cost me a gift I can't replace. Really not okay.
I chose your shop because of the quick delivery promise, and that promise was broken.
""")

add("negative", "damaged item", """
The vase arrived in pieces. The box didn't even have any padding.
My new headphones came with a cracked case.
The box was completely crushed and the lamp inside is bent.
Screen was scratched straight out of the box.
The mug had a chip on the rim when I opened it. Not acceptable for a gift.
There's a big dent on the side of the kettle.
The book arrived with water damage, the pages are all wavy.
Two of the six glasses were broken. Packing was awful.
Opened the parcel and the shoes were covered in some kind of oil stain.
The frame of the mirror is cracked right down the middle.
The jacket has a tear near the zip. Clearly not new.
The phone case was already yellowed and scuffed. Was this a return someone sent back?
The sofa cushion arrived with a hole in it.
Blender jug is cracked so it leaks everywhere.
Everything inside was soaked because the box was left in the rain and the packaging is just cardboard.
The plant I ordered arrived dead. Brown leaves, dry soil, the lot.
The seal on the face cream was broken. I'm not putting that on my skin.
Arrived damaged, second time in a row.
The cake tin is bent out of shape. Can't even close the lid.
My keyboard is missing two keys and one is snapped.
The picture frame glass was shattered all over the box. I cut my finger opening it.
The chair leg is split. It's unusable.
Got my watch today and the strap buckle is broken off.
The backpack's zip came off the first time I used it.
The puzzle box was ripped open and pieces are missing.
Cosmetics box arrived with the lipstick snapped in half.
Whoever packed this clearly doesn't care, items just thrown in a bag.
The printer arrived with the paper tray cracked.
Package looked like it had been kicked all the way here.
Crack in the screen protector and the tablet under it is scratched too.
The umbrella frame is bent and the fabric is torn. Brand new, supposedly.
Bottle leaked all over the other items in the parcel. Now my new shirt is ruined too.
Tiles arrived in about a hundred pieces.
Damaged goods AGAIN. What is going on with your warehouse?
The rug smells like damp and has a stain in the corner.
The toy's battery compartment cover is missing and the box has been opened.
The strings on the guitar were snapped and there's a scratch on the body.
The wardrobe panels are chipped on every corner.
Honestly looks used. Fingerprints all over the screen and a hair in the box. Gross.
Lid of the storage box is cracked, and the replacement you sent is cracked too.
""")

add("negative", "wrong or missing item", """
I ordered a blue jumper and received a pink one.
You sent me a size S. I ordered an XL.
The parcel contained someone else's order. I don't need 4 bottles of dog shampoo.
Only two of the three items I paid for were in the box.
I got the wrong model. I asked for the 256 GB version, this is 64 GB.
Wrong colour, wrong size. Did anyone even look at my order?
The box was empty apart from the packing slip. Literally empty.
The charger that should be included is missing.
The instructions are missing so I can't assemble the desk.
I received one shoe. One.
You sent me the left earbud twice and no right one.
This is not what the photo showed at all.
I ordered the pack of 12 and only 8 were inside.
The screws for the bed frame weren't in the box, so it's just sitting in pieces on my floor.
Received a completely different brand than the one on the product page.
Got the UK plug version, I'm in Germany. Useless to me.
Ordered the hardback, received a tatty paperback.
I was sent a men's jacket instead of the women's one I ordered.
The product description said cotton. The label says 100% polyester.
Missing item from order {order} and the packing slip says it was included. It wasn't.
You've sent the wrong item for the second time. I'm losing patience.
My exchange came back as the same wrong size I returned.
The gift wrapping I paid extra for wasn't there.
The free gift advertised with the order never showed up.
The bundle was supposed to include a case. No case.
I ordered decaf and got regular coffee. Not ideal when you're pregnant.
I ordered a queen duvet cover and received a single. Doesn't even cover half the bed.
Half the Lego set is missing. My son was in tears.
What arrived looks nothing like the pictures on the website. Cheap and flimsy.
I received a box of someone's returned items, tags cut off and all.
The shade is totally different to what's shown online. It's more orange than nude.
You sent the old version of the product even though the page clearly said new version.
Just opened my order and it's the wrong book entirely.
My parcel had two of the same item and none of the other one I ordered.
Wrong address label on the box but my stuff inside? Nope, someone else's.
""")

add("negative", "refund delay", """
I returned the item three weeks ago and still haven't seen my refund.
Where is my refund? You confirmed receipt of the return on the 4th.
It's been 30 days. Your policy says 5 working days. Explain.
You were very quick to take my money and very slow to give it back.
Still no refund for order {order}. I've emailed twice.
Your return portal says "refund issued" but my bank has nothing.
I was told the refund was processed. My bank says otherwise.
I had to pay for the return postage myself even though the item was faulty. Not fair.
Only got a partial refund and nobody explained why.
You refunded me in store credit. I asked for my money back.
Every time I ask about my refund I get a different answer.
I sent the item back with tracking, you signed for it, and now you say you never got it?
Refund still pending after a month. This is theft at this point.
I'm going to have to do a chargeback because you won't refund me.
Waiting on 89 euros since March. Not impressed.
You deducted a "restocking fee" that nowhere appears in your terms.
I cancelled before it shipped and I still haven't got my money back.
The refund went to a card I cancelled. Now it's stuck in limbo.
Why does a refund take longer than the actual delivery did?
I've been chasing this refund for so long I've forgotten what I even bought.
Refund amount is wrong. You took off the shipping even though it was your mistake.
Cancelled order, charged anyway, no refund. Lovely.
I'm a student, I really need this money back and it's been weeks.
Your refund policy is basically fiction.
It shouldn't take six emails to get a refund for a broken product.
I was promised a refund "within 48 hours" by your agent. That was 12 days ago.
You closed my return request without refunding me. Reopen it please.
Return label never arrived so I can't even send the thing back to get my money.
I'm honestly exhausted from chasing this. Just refund me.
Refund rejected because the box was "opened". How was I supposed to know it was broken without opening it??
The refund came through but it's 20 euros short.
It's been a month. A MONTH. Where is my money?
""")

add("negative", "rude or unhelpful support", """
The agent on the phone was incredibly rude and hung up on me.
Your chat bot keeps sending me the same link. It doesn't answer my question.
I've explained my problem four times now to four different people.
Nobody ever replies to emails. What's the point of having a support address?
I was on hold for 55 minutes and then the line cut off.
Your support person basically called me a liar.
The agent copy-pasted a generic answer that had nothing to do with my issue.
This bot is useless. Let me talk to a human.
I asked a simple question and got a lecture about your terms and conditions.
Customer service here is non-existent.
You keep closing my ticket without solving anything.
The live chat says "agents are available" and then nobody joins for 40 minutes.
I was promised a callback that never happened. Twice.
Your staff seem to have no idea what your own policies are.
Talking to you is like talking to a wall.
Support told me to "just wait" for the third time. I've waited.
Every reply I get is signed by someone new who hasn't read the thread.
Dismissive, condescending and slow. That sums up your customer service.
The automated replies are driving me mad.
I asked to escalate and was told there's no one to escalate to. Seriously?
Agent just said "that's not my department" and left the chat.
I'm really tired of being passed around between departments.
You don't listen. You just send templates.
Why does the bot keep asking for my order number when I've given it three times?
Your bot doesn't understand anything I type.
Your team promised to sort it "today" on Monday. It's Friday.
I feel like I'm being ignored on purpose.
Absolutely zero help from your support team.
The person I spoke with laughed when I said the item was broken. Unbelievable.
I got a survey asking how my experience was before anyone had even answered me.
Support replied after 9 days, asking for information I had already sent.
I was told one thing on the phone and the opposite in the email.
It's impossible to reach anyone. The phone number just rings out.
Please stop sending me FAQ links, I've read them all, none of them help.
Why is there no way to actually speak to a person?
Your agent was polite, I'll give them that, but they did absolutely nothing.
I've never felt so unimportant as a customer.
Honestly, the worst customer service I've ever dealt with.
This is the least helpful chat I've ever had with a company.
I asked for a manager and got another bot.
""")

add("negative", "billing error", """
I was charged twice for the same order.
Why is there a charge from you on my card? I didn't order anything this month.
The price at checkout was higher than what was shown on the product page.
My discount code was accepted and then not applied to the final total.
You charged me for express shipping but I selected standard.
I've been billed {amount} euros for a subscription I cancelled in May.
The invoice shows an item I never ordered.
My card was charged but the order failed. Now I've paid and have nothing.
You took the money three times because your payment page froze.
There's a mystery fee on my invoice called "handling". What is that?
I was charged VAT twice. Please fix the invoice.
The sale price disappeared the second I added the item to the basket. Sneaky.
My gift card balance vanished and the order was charged to my credit card instead.
Charged in dollars even though I chose euros, and now my bank added fees.
The payment went through twice and I'm being told to "wait for the bank". I'm not happy.
Why did my bill go up without any notice?
Your pricing is all over the place. Different on the app and on the website.
I used PayPal, got charged, and your system still says "awaiting payment".
You took the full amount before the item was even in stock.
The loyalty points I earned just disappeared from my account.
Auto-renewal without warning. Not cool.
I was overcharged by {amount} euros and I want it back.
The promo said 20% off everything. It took off 5%.
Got charged a cancellation fee even though the parcel hadn't shipped yet.
This is the second billing mistake in two months. I'm checking every statement now.
You charged my old card which I had removed from my account. How??
Free shipping was advertised, then I got charged 6.95 at checkout.
Dodgy billing. I'll be reporting this to my bank.
""")

add("negative", "app and site bugs", """
The app crashes every time I open my basket.
I can't log in. It keeps saying my password is wrong even after I reset it.
The checkout button does nothing. I've tried three browsers.
Password reset email never arrives.
Your website is so slow it's practically unusable.
The app logged me out in the middle of paying and emptied my basket.
Search results are completely random. I typed "black boots" and got saucepans.
The size filter doesn't work, it shows everything.
The tracking link in your email leads to a 404 page.
I keep getting an error code when I try to pay. No explanation, just "error 500".
Since the last update the app won't even open on my phone.
The page keeps reloading and I lose everything I entered.
Can't change my address, the save button is greyed out.
Your site charged me but shows the order as failed.
The discount code box just spins forever.
Every time I try to upload a photo for my return, the page freezes.
Dark mode makes half the text invisible in the app.
I can't delete my old card from the account. It just reappears.
The invoice download button gives me a blank PDF.
Two-factor code arrives after it's already expired. Every time.
I got signed into someone else's account?! I could see their orders and address. That's a serious problem.
The new website design is a mess. I can't find anything.
Your app sends me ten notifications a day about stuff I don't care about, and I can't turn them off.
The chat window covers the checkout button on mobile.
It keeps telling me my postcode is invalid. It isn't.
Apple Pay fails at the last step every time.
The wishlist deleted itself.
Why do I have to verify my email every single time I log in?
The "track order" page just says "something went wrong". Helpful.
Images don't load on the product pages so I can't see what I'm buying.
Registration form keeps rejecting my phone number.
Your app drains my battery like crazy.
""")

add("negative", "sarcasm", """
Great, another delay. Just what I needed.
Thanks for nothing.
Wow, only 3 weeks late. Impressive.
Oh brilliant, the wrong size again. You really are consistent.
Love how my "express" delivery took longer than the standard one. Genius.
Fantastic service as always, still no reply after 10 days.
Oh good, another automated email telling me you value my feedback.
Amazing how you can charge me in seconds but need a month to refund me.
Nice to know my parcel is enjoying a holiday in the depot.
Thanks so much for delivering it to the wrong house. Really appreciate it.
Wonderful. The replacement is broken too.
Yeah, because waiting on hold for an hour is exactly how I wanted to spend my lunch break.
Cool cool cool, so my order just vanished. Love that for me.
Oh sure, "within 24 hours". Which 24 hours, though?
Well done, you've managed to lose my parcel twice.
Perfect, just perfect. The one day I needed it on time.
What a surprise, the tracking hasn't updated.
Brilliant customer service. Ten minutes on hold to be told to email instead.
Can't wait for my refund to arrive sometime next year.
Really loving the fact that my "waterproof" jacket lets the rain in.
So glad I paid extra for gift wrap that never happened.
Thank you for the lovely surprise of a completely empty box.
Best part of my day: reading the same copy-paste reply for the fourth time.
Such a pleasure dealing with your bot. Said no one ever.
Clearly my order is very important to you. So important you forgot it.
Oh look, another "unexpected delay". Shocking.
Wow what a bargain, it fell apart in a week.
Really top quality, the handle came off on the first use.
Keep up the great work, maybe one day you'll deliver something on time.
Ah yes, the classic "we're experiencing high volumes". Every day for a month.
Stellar job losing my return. Truly world class.
Five stars for creativity, you've invented a new way to mess up an order.
Oh how I love refreshing the tracking page every morning for two weeks.
10/10 would wait a month for socks again.
Great, so the sale ended while your site was down. Thanks a lot.
Fabulous, now I've been charged three times. Anyone want to go for four?
Sure, I'll just wait another week. Not like I have anything else to do.
Lovely, the "premium" headphones sound like a tin can.
Awesome, the bot has misunderstood me again.
Gee, thanks for the 5% voucher after losing my 200 euro order.
Oh wonderful, another survey. Maybe fix the actual problem first?
Delighted to report my parcel has now been "out for delivery" for a week.
I just love being told it's my fault that your courier lost the package.
Nothing says quality like a zip that breaks on day one.
Thanks for the update... that tells me absolutely nothing.
Yay, another week without my order 🙃
Congrats, you've made returning a T-shirt harder than filing my taxes.
How thoughtful of you to ship my winter boots in time for summer.
Good to see the "24/7 support" means 24 hours a week, 7 minutes a day.
Oh, fantastic, the app update deleted my saved addresses. Really needed that.
Sure, blame the courier. Again.
What a fun game, guess which day my parcel will actually come!
I really appreciate paying for next-day delivery and getting next-week delivery.
Really great value, I paid 60 euros for a jumper that shrank to doll size.
Nice one, my "new" phone came with someone else's photos on it.
Terrific. The only item I actually needed is the one that's missing.
Ah, the joy of assembling furniture with half the screws missing.
Super helpful, thanks for telling me to "check my spam folder" for the fifth time.
Well that was a complete waste of an afternoon. Cheers for that.
Love paying full price for a product that stops working after a week 👏👏
""")

add("negative", "negation", """
Not happy with this at all.
Never again. Worst shopping experience I've had.
I'm not impressed with the quality.
This is not what I paid for.
Not good enough, honestly.
I won't be ordering from you again.
Not worth the money.
I can't recommend this shop to anyone.
No one has bothered to reply.
Nothing about this order went right.
I don't think I've ever been this disappointed with a purchase.
It doesn't work. Never did.
I'm not satisfied with the answer you gave me.
Not once has my parcel arrived on time.
The product is not as described.
Don't buy the cheap version, it doesn't last.
I wouldn't wish your customer service on my worst enemy.
No, that doesn't solve my problem.
Not even close to the size chart.
I'm not going to wait another two weeks.
The colour isn't anything like the picture.
I really didn't expect this from you.
It never charged properly, not even once.
Can't say I'm pleased.
I'm not okay with being charged for your mistake.
Not the quality I expected for that price.
No help whatsoever.
This doesn't fit, doesn't look good and doesn't feel good.
Never had this many problems with a single order.
Won't be back.
Not a fan of the new packaging, everything arrived crushed.
No apology, no refund, no explanation.
I don't appreciate being ignored.
I'm not buying from here ever again.
Nope. Not acceptable.
Not what I'd call customer service.
Not bad enough to return, but nowhere near good.
Didn't live up to the hype in the slightest.
You haven't fixed anything.
I shouldn't have to chase you for this.
Not once did anyone say sorry.
Honestly I don't trust you with my card details anymore.
The instructions don't make sense and the parts don't fit.
It isn't fit for purpose.
This wasn't cheap and it certainly doesn't feel premium.
Not a great first impression.
Can't believe I fell for the reviews.
""")

add("negative", "polite but unhappy", """
I'm sorry to bother you again but this is the third time I've asked about my refund.
Hi, I hate to complain, but the item I received is faulty and I'm quite disappointed.
I appreciate you're busy, but I've been waiting over a month now.
With respect, this isn't the first time this has happened and I'm losing faith.
Kind regards aside, I'm really quite upset about how this has been handled.
Sorry, but I don't think that's a fair response.
I don't want to be difficult, but the replacement is broken as well.
Thanks for getting back to me, although unfortunately it doesn't resolve anything.
I understand things go wrong, but I expected better from you.
Please could someone actually look at my case? It's been two weeks with no progress.
I've always been a loyal customer, which is why this experience is so disappointing.
I'm trying to stay patient, but I'm running out of it.
Hello, I'm afraid the jacket has already started to fall apart after two wears.
Thank you for the reply, but I'm still without my order and without answers.
I know it's not your fault personally, but this is really frustrating.
Sorry to be a pain, but I still haven't received the invoice I asked for three times.
Hi there, I'm writing again because nobody responded to my last two messages.
I'm sure you're doing your best, but this delay is causing me real problems.
I would appreciate a proper explanation, as the previous replies haven't helped.
Apologies for the long message, but I'm honestly at the end of my tether with this order.
Dear team, I regret to say the quality has really gone downhill.
I've tried to be understanding, but being charged twice and then ignored isn't okay.
Hi, just following up (again) on order {order}. I'd really like an update this time.
I'm a bit disappointed, to be honest. I expected the colour to match the photos.
I'd rather not have to escalate this, but I will if it's not sorted this week.
It's a shame, I used to really like shopping with you.
Thanks for the voucher, but it doesn't really make up for a ruined birthday present.
I'm sorry to say the product didn't meet my expectations.
I don't like to leave bad reviews, but I feel I have no choice.
Good morning. Unfortunately my parcel is still missing and I'm getting worried.
Please don't take this the wrong way, but your returns process is confusing and slow.
I realise mistakes happen, but this is the third one on the same order.
Could you please stop sending me emails I've unsubscribed from? I've asked twice now.
Thank you for your time, though I have to say I'm unhappy with the outcome.
I'm trying to be polite here, but I'm honestly very annoyed.
If it's not too much trouble, I'd like my money back. The item is not usable.
Hello again, sorry, but I'm still being charged for the cancelled subscription.
I do appreciate the apology, but I'd appreciate a working product more.
Respectfully, being told to wait another 10 days is not a solution.
I hope you can understand why I'm upset: it was a gift and it arrived broken.
I really wanted to love it, but sadly it's just not good quality.
Sorry if I sound frustrated, it's because I am.
With all due respect, your agent gave me incorrect information and now I'm out of pocket.
I've been very patient, please could someone give me a straight answer.
Thanks, but no thanks. I'd just like a refund at this point.
Forgive me for being blunt, but this is a poor way to treat customers.
Hi, I'm sure it's an honest mistake, but I've been sent the wrong item for the second time.
""")

add("negative", "short replies", """
useless
meh
whatever
terrible
awful
rubbish
pathetic
ugh
seriously?
unbelievable
no thanks, that's useless
still nothing
not again
ridiculous
disappointed
so annoying
joke
waste of time
typical
sigh
bad
worst
horrible
nope
pfff
smh
what a joke
forget it
this is a scam
not helpful
yeah right
fine, whatever
are you kidding me
disgraceful
shocking service
gutted
fuming
lame
poor
nah this is bad
so slow
broken again
lol no
doesn't help
seriously annoyed
still waiting
pointless
ffs
jesus christ
dreadful
crap
fail
epic fail
garbage
trash
nightmare
appalling
finally. took you long enough
meh, not great
ugh, again?
""")

add("negative", "caps, emoji, slang, typos", """
WHERE IS MY ORDER?!?! 2 WEEKS NOW
THIS IS UNACCEPTABLE
I WANT MY MONEY BACK NOW
STILL NO REFUND!!!
NOBODY IS ANSWERING MY EMAILS
Worst. Service. Ever. 😡
😡😡😡 my parcel is lost AGAIN
ordered 2 weeks ago and nothing 🙄
thanks for ignoring me for a week 🙄
I'm so done with this shop 😤
broken on arrival 😞
why is this so hard 😩
ok this is actually a joke 🤬
my order is MIA 😒
cant log in AGAIN 🙄🙄
wtf is going on with my order
wtf why was i charged twice
this is so shady tbh
ngl this is the worst delivery service i've ever used
bruh it's been 3 weeks
bruh the shoe is literally falling apart
lowkey feel scammed rn
tbh your bot is trash
smh the app crashed mid-payment
yall lost my package fr
this ain't it. wrong size again
proper rubbish service mate
absolutely gutted, the present's broken
bloody hell, still not here
cheers for nothing lads
your courier is having a laugh
Honestly dont know why i bother with this company anymore
i orderd a red one and got a green one wtf
its been 2 weks and no refund
recieved the wrong item and no one is replying
my packge never came and the tracking is wrong
the jaket is teared at the sleeve
ur app keeps crashin
pls fix ur website its broken
this is redicoulous, i paid for express
im so angry rn
cant beleive you charged me twice
why r u ignoring my emails
i hate this stupid bot
the quallity is so bad
terible customer servise
NOT HAPPY. AT ALL.
REFUND. ME. NOW.
DO NOT ORDER FROM HERE
i've been on hold for FORTY MINUTES
PLEASE just answer me 🙏 its been 10 days and my order is lost
are u serious rn 😑
stop sending me emails 🙄 I UNSUBSCRIBED
ugh the colour is so ugly irl 🤢
I'm literally crying, the cake stand came smashed 😭
This shirt shrank two sizes after one wash 👎
👎👎👎
🙄
😡
😤😤
💀 the quality is a joke
zero stars if i could ⭐
not impressed 😒
my order: lost. my refund: pending. my patience: gone.
can someone PLEASE explain why my card was charged 3 TIMES???
Absolutely shambolic from start to finish.
Bit of a shambles this, innit
The service has gone right downhill, mate.
dude my order has been "processing" for like a week
y'all really need to get it together
This is hella frustrating
Awful. Just awful. 🤦
rip my 80 euros
Why u do this to me 😩 wrong shoes again
I swear this company hates its customers
grrr the app logged me out AGAIN
argh nobody is picking up the phone!!!
oh come on, the tracking number doesn't even exist
""")

add("negative", "product review", """
Battery died after two days, total waste of money.
The fabric is thin and see-through. Looks nothing like the photos.
Stopped working after a week.
The sizing runs really small, I'd need two sizes up.
Cheap plastic that creaks when you touch it.
The sound quality is muffled and the bass is non-existent.
Smells strongly of chemicals even after washing it three times.
The colour faded after the first wash.
Way too heavy to carry around, and the straps dig in.
The blender is so loud my neighbours complained.
These trainers gave me blisters on the first walk.
The zip is flimsy and already stuck.
Doesn't hold a charge for more than an hour.
The lid doesn't seal properly so everything leaks.
The screen is dim and washed out, even on max brightness.
The stitching came undone along the seam within days.
Overpriced for what it is.
The cream broke me out in a rash.
The pan's non-stick coating is peeling after a month.
Mattress topper went flat in about two weeks.
Instructions are impossible to follow, half the steps are missing.
The Bluetooth connection drops every few minutes.
Legs are wobbly no matter how tight you screw them.
The print on the T-shirt cracked after one wash.
The speaker crackles at any decent volume.
Too small, too stiff, too expensive.
The smart watch step counter is wildly inaccurate.
Looks cheap in person, like a knock-off.
The perfume smell disappears after about ten minutes.
Coffee machine leaks water all over the counter.
The charging cable is so short it's practically useless.
The wool is scratchy and itchy, I can't wear it for more than ten minutes.
The phone case doesn't fit, the buttons are in the wrong place.
Shoes squeak with every step. Embarrassing.
The handle of the suitcase broke on the first trip.
Such a disappointing product. I had high hopes.
It's basically a toy, not a tool.
The vacuum loses suction after about five minutes.
Colour is way off, the "navy" is practically purple.
The fit is boxy and unflattering.
The kettle takes forever to boil and tastes of plastic.
Not waterproof in the slightest, my feet were soaked.
Headphones hurt my ears after half an hour.
The keyboard keys are mushy and some don't register.
The lamp flickers constantly.
Poorly made, poorly designed, poorly packed.
Toaster burns one side and leaves the other pale.
These jeans lost their shape after one day.
The app that goes with the device is awful and keeps disconnecting.
The desk chair started sinking after a week.
Flimsy hangers that bent the moment I hung a coat on them.
The mascara clumps and flakes everywhere.
The game controller's left stick drifts already.
It broke. That's the review.
Honestly the worst purchase I've made this year.
The drill battery barely lasts long enough to put up one shelf.
The dress looked gorgeous online but the material is like a bin bag.
Tastes stale, like it's been on a shelf for years.
The tea is dust, not leaves.
Paint peeled off the bike bell in a week.
I've had better quality from a pound shop.
Regret buying it. Should have spent a bit more elsewhere.
The seams on these leggings go see-through when you bend over.
The thermos doesn't keep anything warm for more than an hour.
The camera takes blurry pictures in anything but bright sunlight.
Keeps disconnecting from the Wi-Fi.
The sofa is rock hard and the cushions slide off.
The bag's strap snapped while I was walking, everything fell on the pavement.
Hair dryer smells like burning every time I use it.
The knives were blunt out of the box.
The tent leaked on the first night of rain.
Overhyped and underwhelming.
Uncomfortable, cheaply made and ugly. Returning it.
""")

add("negative", "tweets to the shop", """
@kizunastore my order has been "processing" for 12 days. Any chance of an update?
@kizunastore why does nobody reply to DMs?
@KizunaStore absolutely shocking service, parcel lost and no one cares
@kizuna_help been waiting 3 weeks for a refund, this is getting silly
@kizunastore charged twice, ignored twice. Great combo.
@kizunastore your courier just threw my parcel over the fence 😡
Hey @kizunastore, the app has been down all morning and I can't check out
@kizunastore thanks for the broken lamp and the silence 👍
@KizunaStore I've been a customer for years and this is how you treat me?
@kizunastore still waiting on order {order}, can someone actually look into it
@kizunastore is anyone actually working there? 5 emails, 0 replies
@kizunastore do you actually have a customer service team or is it just the bot
Never ordering from @kizunastore again. Lost parcel, no refund, no apology.
Shoutout to @kizunastore for making my mum's birthday present arrive a week late 🙄
@kizunastore the "sale" price is higher than last week's normal price lol
Avoid @kizunastore. Trust me.
@kizunastore fix your website please, it's been broken for days
@kizunastore you sent me the wrong size and now want me to pay return postage? No.
@kizuna_help your agent hung up on me. Twice.
So @kizunastore just cancelled my order without telling me. Found out from my bank. Cool.
@kizunastore your packaging is a crime, everything arrived smashed
@kizunastore been on hold 45 mins. This is absurd. #customerservicefail
@kizunastore 3rd wrong item in a row #fail
@KizunaStore #neveragain
@kizunastore your bot told me to "try again later". It's been later for a week.
Dear @kizunastore, my package has been to more countries than I have this year.
@kizunastore refund me or I'm going to my bank
Ordered from @kizunastore, item arrived broken, support ghosted me. Classic.
@kizunastore please stop emailing me 4 times a day
@kizunastore what's the point of a tracking number that doesn't work
Why is @kizunastore's returns process so complicated?? 6 steps to send back a scarf
@kizunastore I literally can't log in to my account, reset link is broken
@kizunastore the jumper I got is NOT the one in the picture
Is it just me or has @kizunastore gone downhill massively?
@kizunastore order {order} - paid for next day, still nothing after 5 days. Not good enough.
Just wasted my whole lunch break on the @kizunastore live chat. Nothing resolved.
@kizunastore your "eco" packaging was soaking wet and my book is ruined
@KizunaStore stop telling me my parcel was delivered when it clearly wasn't
Big mistake ordering from @kizunastore for Christmas 🎄😤
@kizunastore four weeks. FOUR.
@kizunastore you've lost a loyal customer today
@kizunastore hey guys, any reason my refund got rejected? the item was literally broken
""")

add("negative", "mixed, negative dominant", """
Love the product but the delivery was a nightmare.
The jumper is nice, but I had to chase you for three weeks to get it, so never again.
The agent was friendly, but my problem still isn't fixed after a month.
Good quality shoes, shame they sent the wrong size twice and charged me for the return.
The price was good, but the item broke within a week so it wasn't really a bargain.
I like the design, but it's so uncomfortable I can't actually wear it.
The refund did come eventually, but only after five emails and a threat of chargeback.
Nice packaging, pity what was inside was cracked.
Fast delivery, but the product is nothing like the photos.
The website looks lovely but it's impossible to actually check out.
Decent price, but honestly the quality is poor and I'll be returning it.
Your support girl was sweet, but the company policy is ridiculous.
It looks great, it just doesn't work.
I'd have given five stars for the product, but the service was so bad I'm never coming back.
The colour is gorgeous, but it bled all over my white laundry.
Arrived early, which was nice, but two of the plates were smashed.
I used to love this shop but the last three orders have all been a mess.
The coat is warm enough, but the zip broke and no one will help me replace it.
Okay product, terrible experience getting it.
The bot is quick, I'll give it that, but it never understands what I'm asking.
Thanks for the reply, but that still doesn't explain where my money is.
The coffee is tasty but the machine leaks, so I can't really enjoy it.
Good idea, bad execution.
Lovely design, awful fit.
The app is pretty, but it crashes constantly.
The sale prices are great, the delivery times are not. Not worth the hassle.
I appreciate the discount, but I'd rather have an order that arrives in one piece.
Your staff are polite, but polite doesn't refund my 120 euros.
It's comfy but it fell apart after three washes, so I can't recommend it.
Beautiful book, shame half the pages are printed upside down.
""")

add("negative", "general opinion", """
The plot drags on for far too long and the ending makes no sense.
A dull, lifeless film that wastes a talented cast.
I gave up on the book after fifty pages, it was that boring.
The sequel is a lazy cash grab with none of the charm of the original.
The acting is wooden and the dialogue is painfully clichéd.
Two hours of my life I'll never get back.
The restaurant was overpriced and the food arrived cold.
The hotel room smelled of smoke and the shower barely worked.
It's a mess of a movie, loud and completely hollow.
The jokes fall flat and the pacing is all over the place.
The album is forgettable, every song sounds the same.
This game is full of bugs and the controls are clunky.
The concert sound was so bad we left halfway.
A tedious, predictable story that never gets going.
Honestly one of the worst films I've seen this year.
The characters are so unlikeable I didn't care what happened to them.
The update made the phone slower and the battery worse.
The flight was delayed four hours and nobody told us anything.
The special effects look cheap and the story is even cheaper.
I wanted to like it, but it's just boring.
The new season completely ruined the show.
The writing is clumsy and the twist is obvious from the first scene.
The customer experience at the bank was a total disaster.
It tries too hard to be clever and ends up being annoying.
The service at the café was painfully slow and the coffee was burnt.
An utterly forgettable comedy that isn't funny.
The museum was overcrowded and half the exhibits were closed.
The soundtrack is grating and the editing is a mess.
The director clearly had no idea what story he wanted to tell.
It's the kind of film that makes you check your watch every ten minutes.
Painfully slow, badly written, and about forty minutes too long.
The gym is dirty and half the machines are broken.
The train was cancelled again, which seems to be the norm now.
The lead actor looks bored for the entire film.
The phone's camera is a big step backwards from last year's model.
Pretentious, self-indulgent and dull.
The novel's ending is a huge letdown after such a promising start.
What a disappointing finale.
I can't believe critics liked this; it's a chore to sit through.
The sequel has all the noise and none of the heart.
The taxi driver was rude and took the long way around.
The course was badly organised and the teacher barely showed up.
It's a poorly made, cynical product that treats viewers like idiots.
The food at the wedding was cold and bland.
The humour is crude and the story is paper-thin.
A clumsy, overlong mess.
The internet provider promised fast speeds and delivers nothing but outages.
The reboot lacks everything that made the original special.
I felt nothing watching it. Absolutely nothing.
The gameplay is repetitive and the story is nonsense.
The restaurant forgot our order twice and then charged us for it.
This is not a movie, it's a very long advert.
Frankly embarrassing for everyone involved.
The performances are fine but the script is so bad it doesn't matter.
The new menu at my local place is a huge step down.
The landlord never fixes anything and won't answer his phone.
An exhausting, joyless experience from start to finish.
The show used to be funny but now it's just tired.
It's overrated, overlong and overpriced.
The festival was badly organised, with huge queues everywhere.
""")

add("negative", "returns, stock, accounts, misc", """
You cancelled my order because it's "out of stock" two days after taking payment.
The item was in stock when I ordered, now it's suddenly unavailable? Convenient.
Your returns process is a maze. I gave up halfway through.
Why do I have to print a label? Not everyone owns a printer.
The drop-off point for returns is 30 km away from me.
I returned the wrong item by mistake because your labels were mixed up, and now you're blaming me.
I can't believe you charge for returns on faulty goods.
The return window is only 14 days? That's barely enough time to try it on.
My account was deleted without warning and all my points are gone.
I keep getting marketing emails even though I never signed up for them.
Someone made an order on my account and you won't tell me how.
You shared my email with third parties, I'm getting spam from companies I've never heard of.
Changing my email address shouldn't require a phone call and three forms.
My address change didn't save and the parcel went to my old flat.
The price dropped the day after I bought it and you won't refund the difference.
Prices have gone up massively and the quality has gone down.
You advertise "free returns" but then charge a fee. Misleading.
Pre-order was supposed to ship on release day. It's a week later.
Gift card doesn't work at checkout, and it was a present from my gran.
The voucher you sent me as compensation has already expired.
I never received my order confirmation and now I'm not sure if I ordered at all.
My order was split into four parcels and each one has a different problem.
Out of stock again. Third time this month for the same thing.
I waited in your virtual queue for an hour only to be told it's sold out.
The loyalty programme is a con, the points are worth nothing.
You sold me an extended warranty and now refuse to honour it.
Two months later and I'm still waiting for the replacement part.
The exchange took so long the size I wanted sold out.
The invoice has the wrong company name and you refuse to correct it.
I've asked three times for a VAT invoice and still nothing. I need it for my accounts.
The size guide is completely wrong, everything I've ordered has been too tight.
Your click-and-collect point had no record of my order.
I got a "your order has shipped" email for an order I'd already cancelled.
It's been impossible to unsubscribe from your newsletter.
Why was my review deleted? It was honest.
The product page is full of fake five-star reviews.
You changed the terms after I ordered. Not on.
Your phone line charges premium rates just to complain. Outrageous.
The parcel locker wouldn't open and the code expired before anyone fixed it.
I'm being asked to pay customs fees that you said were included.
This is the last straw.
I'm closing my account. I've had enough.
I'll be reporting this to consumer protection.
Honestly, I regret ever giving you my money.
My patience has completely run out.
You've lost my trust, and it'll be hard to earn it back.
Every interaction with your company leaves me stressed.
I've spent more time fixing this order than I did choosing it.
""")

add("negative", "in-chat replies to the assistant", """
That's not what I asked.
You're not listening to me.
That link doesn't work either.
No, I already tried that and it didn't work.
Why do you keep asking the same question?
This is going round in circles.
You said that yesterday too.
I don't want a voucher, I want my order.
That answer makes no sense.
I've already given you my order number twice!
Stop telling me to check my spam folder.
Can I please speak to an actual person? This bot is hopeless.
Nope, still broken.
Same problem as before, nothing has changed.
Your suggestion didn't help at all.
How is that supposed to help me?
I waited all day for the callback you promised.
So basically you can't do anything.
Well that's disappointing.
That's a terrible policy.
Are you even reading my messages?
I don't have time for this.
This is exhausting.
I'm really annoyed now.
That's not good enough, sorry.
I'm losing my patience here.
Honestly, forget it, I'll go somewhere else.
This chat has been a complete waste of time.
No, the problem is NOT solved.
You're making this much harder than it needs to be.
Not helpful at all, thanks.
So I have to pay for your mistake? Great.
This bot understands nothing 😑
Wrong answer again.
You clearly haven't read what I wrote.
I don't care about your policy, I care about my money.
Another useless reply.
That's the fourth different answer I've had.
I'm starting to regret ordering from you.
Didn't work. Again.
Ugh, the page just crashed again.
I've been typing in circles for twenty minutes.
This is making me really stressed.
Why is it so complicated to get a simple answer?
You told me the parcel would come today. It didn't.
I'm tired of hearing "we're looking into it".
""")

add("negative", "more complaints", """
I opened the box and the smell hit me straight away, like something had gone off.
The tracking said "delivered to mailbox". I don't have a mailbox.
I've had three different delivery dates from three different emails.
The trousers I ordered in "long" are shorter than my regular ones.
The assembly took four hours because the holes didn't line up.
Every time I call, the wait time message says 5 minutes, and it's always 40.
It's the second time this winter my order has gone missing.
I was told a manager would call me within the hour. Nobody called.
The express upgrade was a total waste of 9.90.
You sent it to my billing address instead of my delivery address, and I'm in another city.
Honestly, I expected a lot more from a shop with your reputation.
The replacement charger overheats just like the first one.
The coffee beans were past their best-before date when they arrived.
My parcel arrived open with the tape sliced and one item gone.
The jeans have a bleach mark on the leg.
It was marked "new" but clearly had been worn.
Your courier refused to bring it up to my flat and left it in the lobby.
I'm disabled and asked for the parcel to be left at the door. It was taken back to the depot instead.
The product stopped charging one day after the return window closed. Funny that.
I feel completely let down.
Your promises mean nothing.
This is the kind of service that makes people shop elsewhere.
I'm out 150 euros and no closer to a solution.
Sorry, but this company is a shambles.
I've been mucked about for weeks.
Your "quality guarantee" is clearly worthless.
The dog bed fell apart within days and the stuffing is everywhere.
The bike arrived with a flat tyre and a bent wheel.
The necklace turned my neck green after one day.
Your earrings made my ears swell up, they're clearly not hypoallergenic as claimed.
The curtain rail snapped and brought down half the plaster.
The baby monitor loses connection every night. That's not a minor issue.
The smoke detector goes off for no reason in the middle of the night.
I feel cheated.
It's honestly insulting.
I'm disgusted with how this was handled.
I'm really upset. This was my mum's present.
I'm so frustrated I could scream.
Absolutely furious right now.
I'm sick and tired of chasing you.
This has ruined my whole week.
Stressful from beginning to end.
Completely unacceptable. I expect a full refund.
I'll be leaving a one-star review everywhere I can.
Don't bother with this shop, you'll only regret it.
I warned my friends not to order from you.
You've managed to disappoint me again.
""")

add("negative", "more general opinion and reviews", """
The performances can't save a script this weak.
The book is well researched but so dry I kept falling asleep.
The pacing is glacial and the payoff never comes.
The film looks expensive but feels empty.
The first half is promising, the second half is a disaster.
A sequel nobody asked for, and it shows.
Every twist is telegraphed a mile away.
The sound mix makes half the dialogue impossible to hear.
It's loud, long and boring.
I found the main character insufferable.
By the end I was just waiting for the credits.
The humour feels forced and dated.
The video game crashed three times in the first hour.
The new phone update broke my favourite features.
The laptop overheats even just browsing the web.
A forgettable meal at a very unforgettable price.
The service was slow and the staff seemed annoyed we were there.
The apartment looked nothing like the listing photos.
Worst customer experience I've had with an airline.
The headphones sound tinny and the noise cancelling barely works.
The plot holes are so big you could drive a lorry through them.
The characters make stupid decisions just to move the story along.
I've seen better acting in school plays.
It's a shame, because the premise had real potential.
Nothing happens for ninety minutes and then it just ends.
The product photos are misleading, the real thing looks cheap.
The sofa started sagging after only a few months.
The app is cluttered and confusing to navigate.
The scenery is pretty, but the story is as thin as paper.
I was bored stiff.
""")

# ---------------------------------------------------------------------------
# NEUTRAL
# ---------------------------------------------------------------------------

add("neutral", "order status", """
Where is my order {order}?
Can you check the status of order {order}?
Hi, I'd like to know when my order will arrive.
My order number is {order}.
Has order {order} shipped yet?
When will my parcel be delivered?
Could you tell me which courier is delivering my order?
What does "processing" mean on the tracking page?
Is my order still on schedule for Thursday?
I placed an order yesterday evening. When will it be dispatched?
How do I track my order?
The order number is {order}, placed on the 12th.
Can I get the tracking number for {order}?
Order #{order} - any update?
What's the status of my last order?
Has my order been packed yet?
Is there a way to see the estimated delivery date?
I ordered two items, will they come together or separately?
Which day is the parcel expected?
Can you tell me if my order has left the warehouse?
Hi, just checking on order {order}.
Tracking says "label created". What happens next?
Do you deliver on Saturdays?
Will I get a text before the delivery arrives?
Is it possible to pick a delivery time slot?
What time does the courier usually come?
The tracking number is for DHL, right?
My order confirmation says {order}. Is that the order number?
Is order {order} being sent by standard or express?
I haven't received a shipping email yet, is that normal?
How long after payment do you ship?
Can you confirm you received my order?
Do I need to be home to sign for the parcel?
Is the parcel going to a pick-up point or to my address?
Where can I find my order history?
Could you give me an update on {order} please
order {order} status?
hi where's my order
any news on my package
when is it coming
How many days until my order ships?
Do you ship the same day if I order before noon?
I'd like to check on a delivery for my mum, she placed the order.
What does "in transit" mean exactly?
My tracking shows "at sorting centre". How long does that usually take?
Is it still possible for the parcel to arrive today?
Can I check my order without logging in?
The parcel reference is {order}.
Is there a phone number for the courier?
Is the delivery going to be a letterbox parcel or a box?
""")

add("neutral", "returns and exchanges", """
How do I return an item?
What's your return policy?
Can I exchange a jumper for a different size?
How many days do I have to return something?
Do I have to pay for return shipping?
Where do I find the return label?
Can I return something I bought in the sale?
Is it possible to return just one item from an order?
Do you accept returns without the original packaging?
Can I return an item bought with a gift card?
How long does it take for you to process a return?
I'd like to send back the shoes from order {order}.
Can I drop the return off at a post office?
What's the address for returns?
Do returns need to be in the original box?
I want to exchange the blue shirt for the green one. How does that work?
Can I return a gift without the receipt?
Is there a return form I need to fill in?
Can the courier collect the return from my home?
I need to return part of order {order}.
Are earrings returnable?
Can underwear be returned if it's unopened?
What happens if I miss the 30-day return window?
How will I know you've received my return?
Can I return items from abroad?
I'd like to start a return for the lamp.
Do I get a refund or store credit when I return something?
Can I swap an item for a different product?
Is there a limit to how many items I can return?
Can I return furniture, or is it too big?
I've packed the return. What's the next step?
How do I print the return label from the app?
Can I return an item that I've already washed once?
Do you offer free exchanges?
I bought it in a shop, can I return it online?
How do I cancel a return I started by mistake?
""")

add("neutral", "refund status", """
When will I get my refund?
How long do refunds take to show on my card?
I returned order {order} last week. Has the refund been processed?
Will the refund go back to PayPal or to my bank account?
Can you tell me the refund amount for {order}?
Is the shipping cost included in the refund?
I'd like a refund for the damaged item, please.
How do I request a refund?
Is there a reference number for my refund?
Do refunds include the original delivery charge?
My bank asked for a refund reference, where can I find it?
Will I get an email when the refund is sent?
The refund should go to my Visa ending in 4411.
Can I have the refund as a voucher instead?
Could you check if the refund for my return has been issued?
Is it a full refund or a partial one?
What's the status of refund for order {order}?
""")

add("neutral", "invoices and receipts", """
Can I get an invoice for order {order}?
Where can I download my invoice?
I need a VAT invoice for my company.
Could you add my company name to the invoice?
Can you send the receipt to {email}?
Is the invoice sent automatically by email?
How do I change the billing address on an invoice?
I need an invoice with my tax number on it.
Can I get a copy of an invoice from last year?
Do you issue invoices in English?
The invoice should be addressed to Müller GmbH, please.
Can you split the invoice into two?
Does the invoice show the VAT separately?
Is the receipt included in the parcel?
Can I get a proforma invoice before paying?
I lost my receipt, can you resend it?
Which email address do you send invoices to?
Please send the invoice for {order} to {email}.
Do you have a credit note for my return?
What's your VAT number?
Can I get the invoice as a PDF?
I need the invoice for my expense report.
Is there an invoice for the shipping cost too?
The invoice needs to be in my partner's name.
Can you confirm the invoice number for my last purchase?
""")

add("neutral", "payment", """
Which payment methods do you accept?
Can I pay with PayPal?
Do you take American Express?
Is it possible to pay by bank transfer?
Can I pay in instalments?
Do you accept Apple Pay?
Can I use two gift cards on one order?
Is Google Pay available on the app?
Do you offer cash on delivery?
Can I pay with a card from a different country?
When is my card charged, at ordering or at shipping?
Can I change the payment method after ordering?
Are prices shown including VAT?
Can I pay in Swiss francs?
Do you accept Klarna?
Is there a fee for paying by credit card?
What's the bank account for the transfer?
How long do I have to pay by bank transfer before the order is cancelled?
Can I use a discount code and a gift card together?
Is my payment information stored in my account?
Can I remove a saved card?
Which currency will I be charged in?
Can my company pay the invoice later?
Do you accept Maestro?
I'd like to pay by invoice. Is that possible?
How do I enter a discount code?
Where do I put the gift card number?
Is payment secure on your site?
Do you support 3D Secure?
Can I split a payment between two cards?
What happens if my payment fails?
Does the price include shipping?
Can I pay when I pick up the order?
I want to pay with my partner's card, is that ok?
The payment is pending in my bank app. Is that normal?
How long does a PayPal payment take to confirm?
""")

add("neutral", "account", """
How do I create an account?
I forgot my password.
How can I change my email address?
Can I have two addresses saved in my account?
How do I delete my account?
Where do I change my password?
Can I order without an account?
How do I update my phone number?
Can I merge two accounts?
I'd like to change the name on my account.
How do I log out of the app?
Is there a way to switch between my personal and business account?
My email is {email}.
The account is registered under {email}.
Can you check if there's an account with {email}?
How do I unsubscribe from the newsletter?
Where can I see my loyalty points?
How do I turn off app notifications?
Can I change my date of birth?
How do I add a new delivery address?
Can I set a default payment method?
Is there a family account option?
How do I download my personal data?
What information do you store about me?
Do I need to confirm my email address?
How do I sign up for the newsletter?
Can I use my Google account to log in?
How do I enable two-factor authentication?
I'd like to change my username.
Where can I find my customer number?
Can I change the language of my account to German?
How do I remove an old address?
The reset link should go to {email}, please.
I have a new email: {email}
please use {email}
""")

add("neutral", "shipping and delivery options", """
Do you ship to Austria?
How much is shipping to the UK?
What are your delivery options?
How long does standard delivery take?
Is express delivery available on weekends?
Do you deliver to parcel lockers?
Can I collect my order from a shop?
Do you ship internationally?
Is there free shipping over a certain amount?
Which courier do you use?
Can I change the delivery address of my order?
Can I have the parcel delivered to my office?
Do you deliver to PO boxes?
Can I choose a delivery date?
How much does express shipping cost?
Do you ship to the Canary Islands?
Are there customs fees for deliveries to Switzerland?
Can I get my order delivered to a neighbour?
Do you ship to the US?
What's the cut-off time for next-day delivery?
Can I upgrade to express after placing the order?
Does the courier call before delivery?
Can the parcel be left in a safe place?
Is delivery to Northern Ireland possible?
Will large items be delivered by a different courier?
Do you deliver furniture to the room or just to the door?
What happens if I'm not home when the parcel comes?
How many delivery attempts are there?
Can I pick up my parcel from the post office?
Do you offer same-day delivery in Berlin?
Is delivery carbon neutral?
Do you ship to military addresses?
Can I change the address to my parents' place?
What's the maximum parcel weight you ship?
How are fragile items packed?
Can you ship it without the price on the package? It's a gift.
Is gift wrapping available?
Can I add a gift message?
Do you deliver on public holidays?
Can I have it sent to a different country from my billing address?
Please change the delivery address to Hauptstraße 12, 10115 Berlin.
My postcode is 80331.
The flat number is 4B, second floor.
Ring the bell marked "Schmidt" please.
Delivery instructions: leave it behind the gate.
I'll be away from the 10th to the 17th, can you hold the parcel?
Can I redirect a parcel that's already shipped?
How much is delivery to Ireland?
What does delivery to the Netherlands cost?
Is there a shipping fee for returns to Spain?
""")

add("neutral", "product questions", """
Is this jacket available in size M?
What is the jumper made of?
Do you have this in black?
When will the grey trainers be back in stock?
Is the kettle compatible with UK sockets?
How big is the backpack in litres?
Does the phone case fit the newer model?
Is the sofa cover machine washable?
Are the earrings nickel free?
What's the warranty on the coffee machine?
Does the lamp come with a bulb?
How long is the charging cable?
Is the dress lined?
Are these shoes true to size?
What's the difference between the two models?
Does the watch work with Android?
Can the pan be used on an induction hob?
Is the cream suitable for sensitive skin?
Is this book the hardcover edition?
Does the desk come assembled?
How heavy is the suitcase?
Is the mattress available in 140 x 200?
Is the perfume the eau de toilette or eau de parfum?
Is the toy suitable for a three-year-old?
Are the batteries included?
Does the tablet have a headphone jack?
Is this product vegan?
What are the dimensions of the rug?
Is the fabric stretchy?
Will you restock the olive green colour?
Is this the 2023 version?
How do I know which size to pick?
Is there a size chart for children's shoes?
Does the hoodie have pockets?
Does the blender come with a travel cup?
What's the battery life of the earbuds?
Is the tea organic?
Where is this product made?
Is it dishwasher safe?
Can I get a sample of the paint colour?
Does it come with a plug adapter?
What voltage does it use?
Is the bed frame compatible with any mattress?
Is the leather real or synthetic?
How many people does the tent sleep?
Do the headphones have noise cancelling?
Can I engrave the watch?
Is it water resistant or waterproof?
Does the coat run big or small?
What's the thread count of the sheets?
Is there a bigger version of this bag?
Is the lens included with the camera body?
Does the game have a German language option?
Is this item eligible for the sale?
What's the RRP of this?
Are the colours on the website accurate?
How many pieces are in the set?
Is there a matching pillowcase?
Does the chair have adjustable height?
Can I buy spare parts for the vacuum?
Are these trousers available in a short leg?
Do you sell gift cards?
""")

add("neutral", "short replies and identifiers", """
ok
k
okay
yes
no
yep
nope, that's all
hi
hello
hey
good morning
good afternoon
hi there
hello?
{order}
order {order}
{email}
it's {order}
my email: {email}
the order number is {order}
yes please
no, that's everything
sure
alright
hmm
one sec
hold on
let me check
what?
sorry?
I see
right
noted
understood
got it
fine
maybe
not sure
I don't know
again?
what do you mean?
can you repeat that?
English please
Deutsch bitte
human agent
agent
talk to a person
menu
help
start over
back
order status
refund
returns
invoice
tracking
delivery
payment
my account
cancel
cancel order
change address
reset password
other
none of these
the second one
the first option
both
just one
size 38
EU 42
medium
the black one
two of them
Monday
tomorrow morning
after 5pm
next week
on the 14th
in Berlin
Munich
it's for a gift
for my son
by email
via chat is fine
by phone
""")

add("neutral", "information given", """
I ordered a pair of boots on Monday.
I bought the lamp last month.
I placed the order using my work email.
The parcel was delivered to my neighbour at number 14.
I paid with PayPal.
I used the code SUMMER10 at checkout.
My order contained a jacket and two T-shirts.
I live in Hamburg.
I'm ordering for a company.
I have an account but I ordered as a guest.
I moved house last week.
My surname is spelled with two t's.
The package was addressed to my partner.
I bought it as a gift for a friend.
The item is still in its original packaging.
I've attached a photo of the label.
I sent the return on Tuesday with DHL.
The tracking number starts with JJD.
The charge on my statement says KIZUNA STORE.
The order was placed from the app.
I'm writing on behalf of my father.
I'm on the phone with my bank right now.
My card ends in 2291.
I'll be at work until 6.
The item is the grey wool scarf.
The size I need is 42.
The product code is KZ-4471.
I used my student discount.
I have a gift card from Christmas.
It was a pre-order.
I ordered three things but I want to keep two.
I haven't opened the box yet.
I already returned the first one.
I'm asking for a friend.
I received an email about a price change.
I'm using an iPhone.
I'm on Android.
I use the website on a laptop.
My browser is Firefox.
I tried it on Chrome as well.
I got a text from the courier this morning.
The parcel is at the post office now.
I got a notice in my letterbox.
The return label is attached to the box.
I contacted you last Friday about this.
This is about the order I placed in June.
I live in a flat without a lift.
The entrance is round the back.
I'm usually home after 4pm.
The ticket number is 88213.
My customer number is 5530127.
I used the same email as always: {email}
The name on the order is Anna Kowalski.
Shipping address: 22 Baker Lane, Leeds LS2 7EW.
The order was for 49.90 euros.
It was delivered on the 3rd.
I bought it on sale.
I chose standard delivery.
I selected express at checkout.
I'm a new customer.
I've been shopping here for about two years.
I'm comparing it with another model.
I'm looking for a present for my sister.
I'm going on holiday next week.
I'll try again later.
I'll call tomorrow.
I'll wait for the email then.
I'll check with my bank.
I'll send the photos now.
I'll return it on Monday.
I'll think about it.
My partner will pick it up.
Sent you a DM with the details.
I've filled in the form.
I've just reset my password.
I've updated my address in the app.
""")

add("neutral", "cancel or change an order", """
I'd like to cancel order {order}.
Can I still cancel my order?
How do I cancel an order?
Can I add an item to my order?
Can I change the size in my order before it ships?
I want to remove one item from my basket order.
Is there a cancellation fee?
Can I change the colour I ordered?
Please cancel my order, I ordered the wrong size.
Can I combine two orders into one shipment?
Can I change the payment method for {order}?
Can I change my delivery option from standard to express?
I'd like to change the quantity from 2 to 1.
Has my cancellation gone through?
Can you hold my order until I'm back?
Can I edit my order after paying?
If I cancel, how long until I get the money back?
Can I switch the delivery to a pick-up point?
I ordered twice by accident, can you cancel one?
Please cancel the second order, {order}.
Can I reorder the same items from last time?
Is it too late to change the address?
Could you cancel only the lamp and send the rest?
How do I cancel my subscription?
Can I pause my subscription for a month?
I'd like to change the delivery frequency of my coffee subscription.
""")

add("neutral", "offers, stores, misc questions", """
Do you have any discount codes at the moment?
When does the summer sale start?
Is there a student discount?
Do you have a physical shop?
What are your opening hours?
Is customer service open on Sundays?
What's your phone number?
What's the email for support?
How do loyalty points work?
Do you price match?
Do you do Black Friday deals?
How long is the gift card valid?
Can I check my gift card balance?
Do you have a referral programme?
Is there a newsletter discount?
Where are you based?
Are you hiring?
Do you sell internationally or just in Germany?
Do you have an app?
Is the app available on iPad?
How do I leave a review?
Can I reserve an item?
Do you offer corporate gifts?
Can I order in bulk?
Is there a wholesale price?
Do you have a catalogue?
Where can I find your terms and conditions?
Do you have a privacy policy?
Who do I contact about a partnership?
Can I write to you in German?
Are you a bot?
Am I talking to a real person?
Is this chat recorded?
Can I get a copy of this conversation?
How long are you open today?
Do you do gift vouchers by email?
Is there a minimum order value?
How often do you get new stock?
Will this item go on sale?
Do you recycle packaging?
Can I return packaging to you?
Is the price the same in the app and on the website?
What's the difference between standard and premium membership?
How do I join the loyalty club?
Do points expire?
""")

add("neutral", "tweets to the shop", """
@kizunastore do you ship to Norway?
@kizunastore what time does the sale start tomorrow?
@kizunastore is the green hoodie coming back in stock?
@kizuna_help how do I change the email on my account?
@kizunastore DM'd you my order number
@kizunastore hi, quick question about returns
@kizunastore will there be a Black Friday sale this year?
@KizunaStore is your app down or is it just me?
@kizunastore are you open on Easter Monday?
@kizunastore which courier do you use for Ireland?
@kizunastore does the winter parka come in petite sizes?
@kizunastore any discount codes for students?
@kizunastore can I pay with Klarna?
@kizunastore hello, sent an email yesterday re order {order}
@kizunastore how long are returns open over Christmas?
@kizunastore do you have a shop in Vienna?
@kizuna_help following up on my ticket from Monday
@kizunastore is the new collection out today?
@kizunastore do you ship to Scotland?
@kizunastore could you check my DMs please
@kizunastore what's the best way to reach customer service?
Has anyone ordered from @kizunastore before? How's the sizing?
Thinking of ordering a sofa from @kizunastore, anyone tried them?
@kizunastore is express delivery available to Poland?
@kizunastore are the sizes EU or UK?
@kizunastore how much is shipping to Belgium?
""")

add("neutral", "general factual statements", """
The jacket comes in four colours and six sizes.
The box contains a charger, a cable and a quick-start guide.
The film is based on a novel from the 1970s.
The movie runs for just over two hours.
The book is the second in a trilogy.
The speaker connects via Bluetooth 5.0.
The sofa is 210 cm wide.
The album was released in March.
The shirt is 100% cotton.
The director previously made two documentaries.
The tablet has a 10-inch screen.
Delivery in Germany usually takes three to five working days.
The store opens at nine.
The sequel picks up a year after the first film ends.
The game can be played solo or with up to four players.
The cast includes several first-time actors.
The novel is set in Osaka in the 1990s.
The lamp uses an E27 bulb.
The phone was released in two colours.
The series has eight episodes.
Most of the film was shot in Scotland.
The product is made in Portugal.
The recipe serves four people.
This model replaces last year's version.
The kettle holds 1.7 litres.
The story follows a young nurse during the war.
The documentary covers the history of the railway.
The mattress is delivered rolled in a box.
The trainers have a rubber sole and a mesh upper.
The sale ends on Sunday at midnight.
The watch has a leather strap and a steel case.
The film is in French with English subtitles.
The book has around 400 pages.
It's a remake of a 1980s horror film.
The dress is knee length.
The course lasts six weeks.
The camera shoots 4K video.
The soundtrack was composed by a local band.
The hotel is ten minutes from the station.
The price went from 59 to 49 euros.
The update is being rolled out this week.
The play is about three sisters running a farm.
The suitcase has four wheels and a telescopic handle.
The coat has a detachable hood.
The cookbook includes about a hundred recipes.
The coffee is a medium roast from Colombia.
The event takes place on the 5th of May.
The film premiered at a festival last autumn.
The jeans are a slim fit.
The laptop weighs 1.3 kg.
The shop is closed on public holidays.
Both versions come with a two-year warranty.
The blanket measures 150 by 200 cm.
The author also writes for a newspaper.
The chair is available in oak or walnut.
The manual is in five languages.
The story is told from three points of view.
The toy requires two AA batteries.
The team is based in Berlin.
This is the director's third feature.
""")

add("neutral", "neutral opinions and hedged remarks", """
It's a jacket. It keeps the rain off.
It's fine, I guess. Nothing special.
It does what it says.
It's about what I expected for the price.
Some people will like it, some won't.
Average.
It's okay.
Neither good nor bad.
It's a standard phone case.
The film is long, but that's typical for the genre.
I haven't tried it yet, so I can't say.
I'll let you know once I've used it.
Still deciding whether to keep it.
I'm not sure about the colour yet.
I'll see how it goes.
No strong feelings either way.
It's similar to the previous version.
It's a fairly ordinary thriller.
The product works as described.
It's the same as the one in the shop.
Hard to say after one day.
It arrived today, haven't opened it.
I'll test it at the weekend.
Depends on what you need it for.
It's an ordinary mug.
So-so.
Standard delivery was chosen.
The colour is slightly different from my screen, but that's normal.
Just received it, will review later.
I have no opinion on the packaging.
""")

add("neutral", "more questions and requests", """
Can you help me with something?
I have a question about my order.
I need some help, please.
Could you help me find a present under 30 euros?
What's the best way to contact you?
Can you send me a link to the size guide?
Could you explain the difference between the two warranties?
Can you recommend a good laptop bag?
Which of these two kettles is quieter?
How do I assemble the shelf?
Where can I find the user manual?
Is there a video showing how to set it up?
Can I speak to someone about a bulk order?
I need to update my phone number on an order.
Can I ask about an order placed by my husband?
Is there a way to get notified when something is back in stock?
How do I add an item to my wishlist?
Can I share my wishlist with family?
How do I apply for a job at your warehouse?
What's the procedure for warranty claims?
Can I send the item for repair?
Where do I send a faulty product?
Do I need the original receipt for the warranty?
Can you tell me more about your sustainability policy?
Are your products tested on animals?
Can you send me the product safety sheet?
Is the item in stock in your Berlin warehouse?
How long will the pre-order take?
Could you resend the confirmation email?
Can I get the order confirmation in German?
When does my subscription renew?
How do I change my delivery day for the subscription?
Can I order by phone?
Can I speak to someone in French?
What details do you need from me?
What do I need to send you for the claim?
Is a photo enough, or do you need the item back?
Do I need to keep the box?
Should I wait for the courier or go to the depot?
Should I contact the courier or you?
Would it be quicker to reorder?
What happens next?
Is there anything else you need?
How long does that usually take?
Will I get a confirmation?
Do I need to do anything else?
Could you let me know when it ships?
Please call me on 0176 5551234.
Please reply by email rather than phone.
Please send the update to {email}.
Can you write to me at {email} instead?
""")

# ---------------------------------------------------------------------------
# POSITIVE
# ---------------------------------------------------------------------------

add("positive", "thanks for support", """
Thank you so much for your help!
Thanks, that solved it.
Brilliant, thank you for sorting that out so quickly.
You've been really helpful, thanks.
Thanks a lot, have a great day!
Thank you, that's exactly what I needed to know.
Cheers, really appreciate it.
That was quick, thank you!
Thanks for being so patient with me.
Perfect, thanks for the fast reply.
Great, thanks for your help today.
Thank you for resolving this so smoothly.
Much appreciated, thanks!
Thanks, you're a star.
Thank you for going above and beyond.
Thanks for the clear explanation.
Lovely, thank you very much.
Thanks so much, you've made my day.
Wow, thank you, I didn't expect such a quick answer.
Thank you for the refund, it came through this morning.
Thanks for the replacement, it arrived today and works perfectly.
Really appreciate you following up on this.
Thanks for taking the time to look into it.
Thank you, the agent I spoke to was lovely.
Many thanks for your kind help.
Thank you! Everything is sorted now.
Thanks, that's a relief.
Fantastic, thanks again.
Thank you for making it so easy.
Thanks, you guys are the best.
Big thanks to Sarah from your support team, she was amazing.
Thanks for the voucher, that's really kind of you.
Thank you for the quick refund, no fuss at all.
Thanks for getting back to me so fast!
Appreciate the help, have a good weekend!
Thank you, I feel much better now.
Thanks for fixing my address, the parcel arrived fine.
Thanks for being so understanding about the return.
Thank you, the new link worked.
Thanks, problem solved!
You've been incredibly helpful, thank you.
Thank you so much for sorting out my order!
Thanks again for all your help, really.
Thank you for your patience and kindness.
Cheers mate, sorted.
Ta very much!
Thanks ever so much.
Thank you kindly.
Thanks heaps!
Thanks a million!
Thank you, that was painless.
Thank you for listening and actually fixing it.
Thank you for the honest answer.
I appreciate the quick response.
I really appreciate your help.
Your help is much appreciated.
Grateful for the help, thank you.
Thanks for the heads-up about the delay, appreciate the honesty.
Thank you for checking, that's reassuring.
That's great, thanks for letting me know.
Thank you for the lovely handwritten note in the parcel!
Thanks for the free upgrade to express, what a nice surprise.
Thank you, that's very generous.
Thanks to the chat assistant, I found my invoice in seconds.
Your bot actually answered my question. Thank you!
""")

add("positive", "fast delivery and smooth orders", """
My parcel arrived a day early. Great service!
Ordered on Monday, arrived on Tuesday. Impressive.
Super fast delivery, thank you!
Got my order today, everything was perfect.
Delivery was quick and the courier was very friendly.
It arrived well packed and in perfect condition.
So quick! I only ordered yesterday.
Really smooth ordering process from start to finish.
Everything arrived exactly as described.
The parcel came right on time.
Well packaged, fast shipping, happy customer.
Arrived safely, thanks for packing it so carefully.
Delivery was faster than promised.
Wow, next-day delivery actually meant next day!
The tracking was accurate to the hour. Love that.
The courier even texted me before arriving. Very convenient.
Package arrived in two days, well done.
Got it before the weekend, exactly when I needed it.
Shipping to Austria was quicker than I expected.
Loved the eco-friendly packaging.
The whole order went without a hitch.
The parcel locker option was really handy.
Click and collect was so easy.
Love how easy it was to change my delivery day.
Order came in time for the party. Lifesaver!
Very fast dispatch, I'm impressed.
Arrived on the exact day you said it would. Brilliant.
The packaging was so neat, it felt like opening a present.
It got here despite the snow. Amazing.
Quickest delivery I've had from any shop this year.
Smooth as always.
Another order, another perfect delivery.
Everything came together in one box, nice.
The express option was totally worth it.
Super easy checkout.
I love being able to track my parcel live.
The return was processed in two days. Very impressed.
Exchange was quick and painless.
The refund was in my account before I'd even posted the second parcel.
Returned a dress, refund arrived in three days. Easy.
Such an easy returns process, honestly the best I've used.
""")

add("positive", "product praise", """
The jacket fits perfectly and the fabric feels premium.
Absolutely love my new boots!
The quality is amazing for the price.
These headphones sound incredible.
Best coffee machine I've ever owned.
The jumper is so soft and cosy.
The colour is even nicer in real life.
My daughter loves her new backpack.
The lamp looks gorgeous in our living room.
The sofa is super comfortable and looks great.
The mattress has completely changed my sleep.
The watch is beautiful, I get compliments every day.
The kettle boils really quickly and looks smart.
This blender is a beast, smoothies in seconds.
The dress fits like a glove.
The book was a joy to read, thank you for the recommendation.
The trainers are light and really comfortable for running.
Great value for money.
Excellent quality, will definitely buy again.
The perfume smells divine.
This face cream is a game changer for my dry skin.
The rucksack is well made with loads of clever pockets.
The phone case is slim and feels really solid.
The bedding is so soft, I don't want to get up.
The speaker is small but the sound is huge.
These jeans are the most comfortable I own.
The vacuum is light and picks up everything.
The frying pan is brilliant, nothing sticks.
The knife set is razor sharp and beautifully balanced.
The tea is delicious, I've already ordered more.
The scarf is lovely and warm.
The board game was a huge hit with the family.
Really pleased with the desk, sturdy and easy to assemble.
The chair is so comfortable I work all day without back pain.
The coat is warm, stylish and waterproof. Perfect.
The earbuds fit snugly and the battery lasts ages.
The plant arrived healthy and is already growing.
The rug is beautiful and really soft underfoot.
The tablet is fast and the screen is stunning.
Lovely quality cotton, washes really well.
The suitcase survived three flights without a scratch.
My son hasn't put the Lego down since it arrived.
The yoga mat is thick and grippy, just what I wanted.
The camera takes gorgeous photos even at night.
The shoes were comfy straight out of the box, no breaking in needed.
The curtains block out all the light. I'm sleeping so much better.
The candle smells amazing and burns evenly.
Perfect gift, my mum was thrilled.
The set is even better than in the photos.
So happy with this purchase.
The material is thick and feels really durable.
It's stylish and practical at the same time.
Genuinely one of the best things I've bought online.
Fits true to size and looks great.
The assembly instructions were clear and it only took 20 minutes.
The drill is powerful and the battery lasts ages.
The lipstick stays on all day.
The hoodie kept its shape after loads of washes.
Every piece in the dinner set is beautiful.
The toaster is simple and does the job really well.
The smart watch tracks everything accurately. Love it.
The keyboard feels amazing to type on.
The thermos keeps my tea hot all day.
My dog loves the new bed.
The sunglasses are light and look fantastic.
The wallet is beautifully stitched and the leather smells great.
Really impressed with the build quality.
The bike rides beautifully.
The hair dryer is quiet and dries my hair in half the time.
The tent went up in ten minutes and stayed dry all weekend.
Would happily buy this again.
Love love LOVE this dress.
This is exactly what I was looking for.
""")

add("positive", "negation and understatement", """
Not bad at all.
No complaints here.
Couldn't be happier with my order.
Can't fault the service.
Nothing to complain about, everything was perfect.
Not a single problem.
I have no complaints whatsoever.
Never had a bad experience with you.
Not disappointed in the slightest.
Honestly can't say a bad word about it.
No issues at all, arrived on time and works great.
I didn't expect much but it's actually really good.
Can't recommend this shop enough.
Couldn't ask for better service.
Never been let down by this shop.
Wasn't sure about the colour, but I'm not disappointed at all.
No regrets buying this.
I won't shop anywhere else now.
It's not cheap, but it's worth every cent.
Not the cheapest, but definitely the best.
Didn't think I'd like it this much.
Nothing beats your customer service.
No fuss, no drama, just a great shopping experience.
Can't believe how good this is for the price.
Haven't had a single issue in years of ordering.
No hassle at all with the return.
Not gonna lie, I'm impressed.
I don't usually leave reviews, but this deserves one.
I wasn't expecting a reply on a Sunday. Impressive!
Not one thing went wrong. Amazing.
Can't stop wearing this jumper.
I couldn't have asked for a better present.
Never disappoints.
I was worried it wouldn't fit, but no need, it's perfect.
Rather good, actually.
Quite pleased, to be honest.
Pretty decent, I'd buy it again.
Not too shabby!
I'll admit, I was sceptical, but you won me over.
Don't know why I waited so long to order this.
Not a bad price either.
Can't wait to order again.
It's not often I'm this impressed by customer service.
No complaints from me, all good.
Not a fault to be found.
Nobody does it better.
It didn't disappoint.
It doesn't get much better than this.
""")

add("positive", "short replies", """
thx!!
perfect
great
awesome
thanks
thank you
ty
tysm
cheers
lovely
brilliant
amazing
fab
super
nice one
cool, thanks
sounds good
that's great
wonderful
excellent
love it
legend
yay
woohoo
finally! thank you
finally!!! it's here 🙌
all sorted, thanks
that worked!
great stuff
nice
sweet
ace
spot on
happy days
top!
much obliged
ok thanks!
ok great, thanks
perfect, thx
👍
🙏
😊
❤️
🥰
👌
🙌🙌
thank u!!
ty so much <3
gracias!
danke!
merci
5 stars
a+ service
good job
well done
bless you
you rock
you're amazing
that's very kind
it works now!
got it, thank you 😊
""")

add("positive", "emoji, caps, slang", """
OMG I LOVE IT 😍
BEST SHOP EVER!!!
THANK YOU SO MUCH 🙏🙏
This jacket is EVERYTHING 🔥
my parcel came early 😊
so happy with my new trainers 👟😊
obsessed with this lamp ✨
thank you thank you thank you 🥹
Delivery in one day?! 🤯 amazing
10/10 would order again 👍
honestly the cutest mug ever 🥰
the hoodie is sooo soft 😍😍
this made my day 😊
ya'll are awesome fr
ngl this is the best customer service i've had in ages
lowkey obsessed with the new collection
this slaps 🔥
absolute banger of a deal
proper chuffed with my new coat
cheers lads, top service
brill, ta!
well chuffed with that
that's bloody brilliant, thanks
this is dope, thanks guys
you guys are legit the best
it's lit, thanks 🙌
omg thank uuuu
thx so much!!!
thnx for the help :)
thank u so mcuh!!
grate service, very hapy
recieved it today, absolutly love it
the quailty is amazng
realy fast delivrey, thanks
luv it ❤️
sooo good!!!
YESSS finally my order is here 🎉
GREAT JOB GUYS
AMAZING QUALITY, FAST SHIPPING, 5 STARS
LOVE IT. BUYING ANOTHER ONE.
😍😍😍
🙌
🔥🔥🔥
💯
🥳 it arrived!
big grin on my face 😁 love it
you guys never miss 👌
big fan of your new app ✨
Fast, friendly, fab 👍
wow just wow 😮 the quality!!
can't stop smiling, my mum loved her present 🥰
so glad I found this shop :)
thank you :D
yay it fits!! :)
great service, much appreciated xx
love you guys xx
""")

add("positive", "tweets to the shop", """
@kizunastore thank you for the super quick refund!
@kizunastore just got my order, absolutely love it ❤️
Shoutout to @kizunastore for the amazing customer service today
@kizuna_help sorted my issue in 5 minutes. Legends.
@kizunastore your packaging is so cute 😍
Big thanks to @kizunastore for replacing my broken lamp without any fuss
@KizunaStore never disappoints 👌
@kizunastore the new winter range is gorgeous
Ordered from @kizunastore on Sunday night, arrived Monday lunchtime. Wow.
@kizunastore best online shop, hands down
Have to say @kizunastore has the friendliest support team I've dealt with
@kizunastore thanks for the birthday discount, such a nice touch 🎂
Love my new boots from @kizunastore 👢
@kizunastore you've got a customer for life
@kizunastore thanks for sorting my address mix-up so quickly!
If you need a gift, @kizunastore is the place. Quick and reliable.
@kizunastore the handwritten thank-you note made my day 🥰
@kizuna_help thank you for being so patient with me yesterday
@kizunastore delivered in the middle of a snowstorm. Heroes.
Really impressed with @kizunastore, smooth order, lovely product
@kizunastore your app update is so much better, nice work
@kizunastore you're doing an amazing job, keep it up
@kizunastore my favourite shop for gifts, always reliable
Seriously @kizunastore, how is your delivery this fast? Love it
@kizunastore thank you for the quick reply on Saturday 🙏
@kizunastore the jumper is even nicer in person!!
@kizunastore top notch service as usual
Credit where it's due, @kizunastore fixed my billing error in one message
@kizunastore 5 stars, would recommend to anyone
@kizunastore thanks for the refund, smooth as anything
Can't believe how good the quality is from @kizunastore for the price
@kizunastore honestly the easiest return I've ever done
@KizunaStore you guys rock 🤘
Just want to say @kizunastore's chat assistant is actually helpful for once
@kizunastore love the new sustainable packaging 🌱
""")

add("positive", "mixed, positive dominant", """
Delivery was a day late, but the product is stunning and totally worth the wait.
There was a small mix-up with the size, but your team fixed it so quickly I don't even mind.
The box was a bit battered, but everything inside was perfect.
It took a while to arrive, but honestly it's the best jacket I've ever owned.
The website is a bit clunky, but the products and the service are excellent.
A bit pricey, but the quality more than makes up for it.
I had a problem with my payment, but the support agent sorted it in minutes. Really happy.
The instructions were confusing at first, but once it was built it's a fantastic desk.
Slightly darker than the photo, but I actually prefer it.
The first one was faulty, but the replacement came the next day and it's perfect.
Shipping wasn't free, but it was fast and the packaging was lovely.
The refund took a week, which is fine, and the agent kept me updated the whole time.
Not the cheapest option, but it's so well made I don't regret it.
It's a bit snug, but it looks amazing, so I'm keeping it.
The courier was late, but your team was brilliant about it and sent a voucher.
I was annoyed at first about the wrong colour, but you sorted it so fast that I'm really impressed.
A few teething problems with the app, but overall a great shopping experience.
It's heavier than I expected, but the sound quality is outstanding.
Long wait on the phone, but the person I spoke to was incredibly helpful.
Packaging could be greener, but the product itself is top quality.
I was sceptical because of some reviews, but mine arrived perfect and quickly.
A small scratch on the side, but for the price it's still a great buy and I'm happy.
It needed a little ironing out of the box, but the shirt is lovely.
The first delivery attempt failed, but the second one was quick and the driver was lovely.
The chat took a moment to connect, but the answer was spot on.
Minor hiccup with the voucher code, otherwise perfect.
The smell was strong at first but it faded in a day, and now I love the rug.
Not perfect, but really good overall.
Had my doubts, but it's brilliant.
It's not flawless, but it's the best one I've tried.
""")

add("positive", "resolution and service praise", """
I had an issue with my order, and your team resolved it in one message. Impressive.
Your customer service is honestly excellent.
The agent was kind, patient and actually solved my problem.
I was expecting a fight to get my refund, but it was so easy.
You replaced the damaged item without asking any questions. Thank you.
The support team kept me updated every step of the way.
Best customer service I've had from an online shop.
You've restored my faith in online shopping.
Quick, friendly and helpful. What more could you want?
The person on the phone was lovely and made it all very easy.
Your team really listens, which is rare these days.
I'm really impressed with how you handled my complaint.
The refund was processed the same day I returned the item. Wow.
Thank you for sending a replacement before I even posted the broken one back.
Such a friendly team, it's a pleasure to shop here.
The chat bot found my order instantly and told me exactly when it would arrive. Very handy.
Genuinely helpful support, not just scripted replies.
You went out of your way to get my parcel to me before Christmas. Thank you!
The manager called me personally to apologise. That meant a lot.
I love that I can talk to a real person when I need to.
Great communication throughout.
You were so quick to respond, I was really surprised.
Everything was handled professionally and politely.
Honestly a model for how customer service should work.
Love how easy you make returns.
Your FAQ answered my question straight away, great site.
The invoice download is so simple now, thanks.
The new app is fast and really easy to use.
Checkout on the app takes seconds now, love it.
The site redesign looks fantastic and it's much easier to find things.
Love the wishlist feature, makes Christmas shopping so much easier.
The size guide was spot on, everything fits.
The product descriptions are really accurate, which I appreciate.
The delivery notifications are so helpful.
Your loyalty scheme is actually generous, I've saved loads.
The student discount is a great touch.
The gift wrapping was beautiful, my friend loved it.
I like that you actually answer emails within a day.
Reliable as ever.
I always know I'll get good service here.
I've been a customer for five years and you've never let me down.
You're my go-to shop for presents.
I've recommended you to all my friends.
My whole family shops here now.
Keep doing what you're doing!
""")

add("positive", "polite appreciation", """
Just wanted to say thank you, the order arrived and it's lovely.
I don't usually write in, but I wanted to let you know how pleased I am.
Just a quick note to say the replacement arrived and works perfectly.
I wanted to pass on my thanks to the agent who helped me yesterday.
Hello, just letting you know the parcel arrived safely. Thanks again!
I wanted to say how impressed I was with your service.
Hi, no problem at all, thanks for letting me know and for the quick fix.
Please pass on my thanks to your warehouse team, beautifully packed.
Thank you for your kind email, it's all resolved now.
Good morning, just to confirm the refund has arrived. Many thanks.
I'm very grateful for your help with this.
Thank you for being so accommodating.
I really appreciated the personal touch.
That's very kind, thank you for the gesture.
I'm delighted with the outcome, thank you.
Kind regards and many thanks for your excellent service.
It was a pleasure dealing with you.
You've been wonderful, thank you.
I just wanted to leave some positive feedback for once.
Everything has been perfect, thank you for asking.
Thank you for the follow-up, all good on my end.
Thanks for checking in, I'm very happy with it.
Yes, it arrived, thank you, and it's perfect.
Yes please, that would be wonderful.
That would be perfect, thanks so much.
Oh that's great news, thank you!
That's a relief, thank you for checking.
What a lovely surprise, thank you!
I'm really happy with how this turned out.
Glad that's sorted, thank you so much.
Very happy customer here.
I'm thrilled, thank you.
It's been a really positive experience.
All good now, thanks for your help!
Great to hear, thanks for the update!
""")

add("positive", "general opinion", """
A beautifully shot film with a heartfelt story.
The acting is superb and the script is sharp and funny.
One of the best books I've read in years.
A warm, charming comedy that had me smiling throughout.
The soundtrack is gorgeous and perfectly fits the mood.
A gripping thriller that keeps you guessing until the very end.
The cast is brilliant, especially the young lead.
I laughed, I cried, I loved every minute.
The restaurant was lovely, with friendly staff and great food.
The hotel was spotless and the staff couldn't do enough for us.
A stunning debut from a talented new director.
The game is addictive and beautifully designed.
The album is fresh, catchy and full of energy.
The sequel is even better than the original.
Smart, funny and surprisingly moving.
The concert was incredible, the band was on fire.
The characters feel real and the dialogue sparkles.
An absolute triumph.
A delightful little film that deserves a bigger audience.
The new update made the app so much faster.
The cafe does the best cinnamon buns in town.
The performances are outstanding across the board.
A touching story told with great care.
It's a feel-good film in the best possible way.
The visuals are breathtaking.
The plot is clever without being confusing.
The book is beautifully written and hard to put down.
The ending is perfect.
The museum was fascinating, we spent the whole day there.
The flight crew were lovely and we landed early.
This series just keeps getting better.
The gym is clean, modern and the staff are really friendly.
A fun, fast-paced adventure for the whole family.
The humour lands every time.
An intelligent, thoughtful drama with real heart.
The direction is confident and stylish.
I'd happily watch it again.
Genuinely one of the funniest shows on TV right now.
The chef clearly knows what he's doing, every dish was great.
The teacher was patient and the course was really well organised.
The phone's battery life is excellent.
The new laptop is fast, light and silent.
A joyful, uplifting film.
The lead actress gives a career-best performance.
The cinematography alone is worth the ticket price.
The festival was brilliantly organised and the atmosphere was amazing.
Wonderful, from the first page to the last.
The story is simple but told beautifully.
It's the kind of book you want to give to everyone you know.
Fresh, original and a lot of fun.
A rare sequel that improves on the first.
It's well paced, well acted and well worth your time.
The best thing I've watched all year.
The documentary is informative and surprisingly entertaining.
Charming, witty and full of heart.
The train was on time and the staff were friendly for once.
The tour guide was knowledgeable and funny.
Absolutely worth the hype.
The puzzle design is clever and rewarding.
Gorgeous animation and a lovely message.
""")

add("positive", "more praise", """
The order arrived perfectly packed and the quality is excellent.
I'm so happy with my purchase, thank you!
Exactly as pictured, and it arrived quickly.
Lovely shop, lovely people, lovely products.
Such a pleasant shopping experience.
Really pleased, thank you.
It's even better than I hoped.
The quality blew me away.
Just perfect.
This has become my favourite online shop.
Always a pleasure ordering from you.
Excellent from start to finish.
Brilliant service, brilliant products.
Highly recommend.
Fantastic experience, will be back.
Amazing value and really good quality.
It's gorgeous, thank you!
I'm over the moon with it.
This is going to be my new favourite jumper.
Great communication and fast delivery.
Everything was easy and stress free.
Superb quality and fast shipping.
My second order and just as good as the first.
I'm very impressed with the service.
Five stars, no hesitation.
Great shop, I'll be telling my friends.
It was wrapped so beautifully I almost didn't want to open it.
The little free sample was a lovely touch.
Absolutely delighted.
Happy with everything.
Gorgeous colour and great fit.
The staff were really friendly and helpful.
Everything about this order was perfect.
Such a great find!
I keep coming back because you're so reliable.
Wonderful customer experience.
Worth every penny.
Worth every euro.
It's perfect for what I need.
Smashing service, thanks.
Cracking little gadget, works a treat.
Works like a charm.
Top quality, top service.
This is honestly a dream to use.
My new favourite thing.
Couldn't be more pleased.
Superb!
Excellent, thank you.
Glad I chose you.
Top marks.
Really good experience overall.
Outstanding.
Quality stuff.
Quick and painless, thank you.
So easy, love it.
""")

add("positive", "in-chat replies to the assistant", """
Oh perfect, that's exactly what I was looking for.
Great, that link worked straight away.
Yes, that's fixed it, thank you!
Brilliant, I can see the invoice now.
Ah lovely, I found the tracking page.
That's really helpful, thanks.
Great, thank you, that answers my question.
Perfect, I'll do that. Thanks for the help!
Ahh amazing, thank you so much.
Yes! It's working now.
You're very helpful for a bot 😄
Wow, that was easy.
Fab, thank you for explaining.
Great news, thanks!
Good to know, thank you!
Nice, that's much quicker than I expected.
Super, thanks for checking.
Lovely, thanks for the update.
Thanks, that's sorted then!
Excellent, I've reset my password. Thank you!
Oh good, I was worried about that. Thanks!
Great, I'm glad it's on its way.
Amazing, thanks for being so quick.
Cool, that's helpful, cheers.
That's so kind, thank you.
Okay brilliant, have a lovely day!
Perfect, you've been a great help.
You're a lifesaver!
That's the best news I've had all day.
Great, that's all I needed, thanks a lot!
Thanks, that was really clear.
Nice one, appreciate it.
""")

add("positive", "longer reviews and messages", """
I ordered a winter coat for my partner and was a bit nervous about the sizing, but your size guide was spot on and it arrived in two days, beautifully packed. He hasn't taken it off since. Thank you!
Just wanted to say a huge thank you to the lady on the phone this morning who sorted out my double payment. She was patient, explained everything clearly and the money is already back on my card.
I've been shopping with you for about three years now and every order has been smooth. Fast delivery, good quality, and on the one occasion something was wrong you fixed it straight away.
The sofa took a bit longer than the other things I ordered, but the delivery team carried it up four flights of stairs, unwrapped it and took the packaging away. Couldn't have asked for more.
My daughter's birthday present arrived the day before her party, even though I'd left it really late. She absolutely loves the art set and I love that I didn't have to stress about it.
The headphones are fantastic: comfortable for hours, brilliant noise cancelling, and the battery easily lasts a week of commuting. For the price, I don't think you can beat them.
I was really worried when the parcel went missing, but your team reshipped it the same day and kept me posted. The new one arrived on Friday. Great service under pressure.
Honestly one of the nicest online shopping experiences I've had. The website is easy to use, the checkout was quick, and the little thank-you card in the box was a lovely touch.
Bought the coffee grinder after reading the reviews and they're all true. Consistent grind, quiet, easy to clean. My morning coffee has never tasted better.
Returned a pair of jeans that didn't fit and the refund was back in my account in three days. No questions asked, no fuss. That's why I keep ordering from you.
I want to thank your support team for helping my elderly dad with his account. They were patient and kind and walked him through everything step by step.
The jacket fits perfectly, the stitching is neat, and it has proper deep pockets. I've worn it every day this week and already had three people ask where it's from.
I was nervous ordering furniture online, but the desk is solid, the instructions were clear and it took me less than half an hour to build. Really happy with it.
Your chat assistant found my order, told me it was at the depot, and arranged a redelivery for Saturday, all in about a minute. That's how it should work.
The gift card was sent instantly with a lovely design, and my friend said it was the easiest thing to redeem. Will definitely use it again for last-minute presents.
""")

add("positive", "more product reviews", """
Fits perfectly, washes well and still looks new after months.
The fabric is lovely and breathable, perfect for summer.
Very comfortable trainers, I wear them all day at work.
The sound is rich and clear, much better than I expected.
The charger is fast and doesn't get hot.
Battery lasts for days, brilliant.
The colours are vibrant and the print is sharp.
The handbag is well made and looks much more expensive than it was.
Easy to set up, easy to use, does exactly what it says.
The pan heats evenly and cleans up in seconds.
Such a comfy pillow, no more neck pain.
The boots are warm and completely waterproof.
Perfect size for my small kitchen.
My skin has never felt so soft.
Great little gadget, I use it every day.
The blanket is huge and incredibly cosy.
The robot vacuum is a lifesaver with two dogs.
The glasses are elegant and feel sturdy.
The wooden toys are beautifully finished and safe for my toddler.
The monitor has gorgeous colours and no dead pixels.
The stroller folds in one second and fits in my small car.
The pyjamas are soft and the fit is perfect.
I love the minimalist design.
It's so light I forget I'm carrying it.
Quiet, powerful and easy to clean. Love it.
The shampoo smells amazing and my hair feels great.
The office chair is an absolute game changer for my back.
It's sturdy, looks great and was easy to put together.
The running jacket is light but really warm.
The cast iron pot is a kitchen hero.
The printer set up in five minutes and prints beautifully.
Great quality cotton, the T-shirts haven't shrunk at all.
The socks are soft, warm and didn't go bobbly.
Beautiful jewellery, delicate and well made.
The fitness tracker is accurate and the app is great.
My cat loves the scratching post, and so does my sofa.
The cookbook has loads of easy recipes that actually work.
The puzzle is great quality, thick pieces and a gorgeous picture.
These gardening gloves are tough and comfortable.
The ice cream maker is so much fun, the kids love it.
The duvet is light but keeps me lovely and warm.
Sturdy, stylish and good value.
The little speaker punches well above its weight.
The e-reader is easy on the eyes and the battery lasts forever.
The winter gloves work with touchscreens, which is brilliant.
The fleece is super warm and didn't pill after washing.
The headphones are comfy enough to wear all day.
The lunchbox keeps everything fresh and doesn't leak.
The espresso is rich and smooth, I'm hooked.
The linen shirt is gorgeous and perfect for holidays.
""")

add("positive", "general opinion 2", """
A clever, heartfelt film that sticks with you.
The book's characters are so vivid I felt like I knew them.
The performances are warm and genuine.
It's funny, sweet and never drags.
An exciting, well-crafted thriller.
The animation is stunning and the voice cast is perfect.
The best concert I've been to in years.
The holiday was perfect from start to finish.
The food was delicious and the service was spot on.
This podcast is so interesting, I've binged every episode.
The story builds beautifully to a satisfying ending.
The writing is witty and full of life.
A moving tribute to friendship and family.
The hotel staff went out of their way to make our stay special.
The new season is a big improvement.
A real crowd-pleaser.
It's refreshing to see a film this confident.
The jokes are sharp and the timing is perfect.
A compelling, beautifully acted drama.
I was hooked from the first chapter.
A lovely surprise, much better than the trailer suggested.
The spa was so relaxing, I didn't want to leave.
The guided walk was the highlight of our trip.
The app makes budgeting so much easier.
A triumph of storytelling.
Everything about this movie just works.
Such a beautiful, calming game.
The music is uplifting and catchy.
Fantastic chemistry between the two leads.
The service at the garage was honest and quick.
""")

add("positive", "varied voices", """
Cheers for sorting my parcel out, you lot are brilliant.
Proper quality, this. Well impressed.
Lovely jubbly, it's arrived!
The jumper's an absolute belter, cheers.
Spot on service, as always.
Bang on time and perfectly wrapped.
Really chuffed with my new trainers.
Smashing job, thank you very much.
Top service, much appreciated, ta.
Blimey, that was quick!
Awesome job, you guys!
Super stoked with my new backpack.
This is seriously awesome, thanks y'all.
Great job on the fast shipping, guys!
Dude, the speaker is insane. Love it.
Totally worth it, no doubt.
You guys knocked it out of the park.
Hands down the best purchase I've made this year.
Really digging the new colours.
This is legit amazing.
It's a keeper!
Super happy camper here.
You nailed it!
Everything was A-OK.
Honestly, wow.
Gorgeous gorgeous gorgeous.
Can I give six stars?
I'm in love with this coat.
I'm so glad I ordered it.
My husband is thrilled with his present.
The kids are over the moon.
Made my grandmother's day.
My best friend cried happy tears when she opened it.
It was the perfect anniversary gift.
The wedding present arrived just in time, phew, and it's beautiful!
Our new dining table is the centrepiece of the room.
Finally found jeans that fit, thank you!
At last, a charger that actually lasts.
Ten out of ten, no notes.
It's beautiful, exactly what I wanted.
I'm beyond happy with this.
It exceeded my expectations.
Better than expected!
So much better than the one I had before.
Honestly thrilled with the service.
I'm really impressed, well done.
What a brilliant idea, love it.
You've made a very happy customer.
This shop is a gem.
Such a lovely surprise to get it early.
My order was spot on, thank you all.
I'm delighted with my purchase.
It's wonderful, thank you so much.
Thanks, you made it really easy.
Fab service as always!
Service with a smile, even over chat 😊
The help I got today was outstanding.
Really friendly and quick, thanks!
Appreciate the speedy help!!
Wow! That was fast! Thank you!!
Great!!! Thanks so much!!!
Yes!! It finally arrived and it's perfect!!
Thank you!!!
Amazing!!!!
So pleased!!
Love it!!
""")

add("positive", "positive with identifiers", """
Order {order} arrived this morning, thank you, everything is perfect!
Just confirming that order {order} arrived safely, great job.
Refund for {order} received, thanks for the quick turnaround.
Thanks, I got the invoice at {email}. All good!
Got the confirmation at {email}, brilliant, thanks.
Received order {order} a day early, love it!
Thank you for replacing order {order} so fast.
The exchange on order {order} went really smoothly, thanks.
@kizunastore order {order} arrived already, you're so quick!
Thanks for updating my email to {email}, that was easy.
""")

add("positive", "more thanks and relief", """
Phew, thank you, I thought it was lost!
Oh what a relief, thanks so much.
You've saved the day, thank you.
That's so helpful, I really appreciate it.
I owe you one!
Thank you, you've been so kind.
Aww thank you, that's lovely.
This is why I love shopping here.
That's made me really happy, thanks.
Excellent service once again.
I'm very pleased with how quickly this was handled.
Really good to know, thanks for explaining.
Thanks for the quick fix!
Thanks for understanding.
Thanks for going the extra mile.
I really appreciate the honesty.
That's fantastic news.
Wonderful, thank you for letting me know!
Perfect timing, thanks!
You've been a massive help.
Thanks for making this so simple.
I'm so grateful, thank you.
Thanks, I'm very satisfied with the solution.
I'm happy with that, thank you.
That's absolutely fine, thanks for sorting it.
No worries at all, thanks for the quick response!
That's more than fair, thank you.
Thank you for the compensation, very generous.
Appreciate you making it right.
Thanks, great to deal with you.
Really helpful chat, thanks.
Thanks a bunch!
Thank you, much obliged.
Cheers, have a good one!
Thanks, all the best!
Thanks loads, you're great.
Thanks so much, I'll definitely be back.
""")

add("positive", "sarcasm-free enthusiasm and exclamations", """
What a fantastic shop!
How quick was that!
What lovely service!
Such good quality!
Such a beautiful dress!
Incredible value!
What a find!
How lovely, thank you!
What a great selection you have.
Oh wow, this is gorgeous.
Oh my goodness, it's perfect.
That's brilliant news!
I love how comfy these are!
I'm so impressed!
You've outdone yourselves!
This is fantastic, well done!
I can't believe how fast that was!
Unreal quality for the price!
Amazing as always 💕
Best present ever 🎁
""")

add("neutral", "informal, typos, caps", """
do u ship to uk
hey do you guys have this in size 10
yo is the sale still on
wheres my order
wat are ur opening hours
how long does shiping take
can i retrun this
how do i chnage my adress
is ther a discount code
wen will it arrive
pls send invoice
hi, cn u check order {order}
how 2 cancel
is paypal ok
ORDER NUMBER {order}
WHAT ARE YOUR OPENING HOURS
DO YOU SHIP TO FRANCE
HOW DO I RESET MY PASSWORD
HELLO?
is this a bot lol
r u a real person
quick q about returns
quick question
just a quick one, do you ship to Malta?
any1 there?
hiya, is the blue one back in stock?
hey, what's the deal with the returns label?
morning! where do i find my invoice?
evening, can I still change my order?
uhh how do I log out
erm, which size should I get if I'm between sizes?
so do I need to print something?
wait, is shipping included?
ok so what do I do now
kk, and the refund goes to my card?
ya, order {order}
nah, standard delivery is fine
yeah that's the one
mhm
hm ok
okie
oki doki
lol ok
ok?
sooo... any update?
hellooo
ping
testing
asdf
""")

add("neutral", "situations described plainly", """
I ordered a jacket last week and the tracking says it's at the local depot.
I received an email saying my order was split into two parcels. Is the second one on its way?
My partner ordered something using my card, and I'd like to know what it was.
I'd like to return the shoes but keep the belt from the same order.
I changed my phone number recently. Does the courier have the old one?
The order confirmation shows my old address. Has it been updated?
The parcel was signed for by someone called M. Weber, probably my neighbour.
I got two emails with different delivery dates, which one is correct?
I'm moving next month. Should I change the address now or later?
The courier left a note saying the parcel is at the post office on Hauptstraße.
I'm abroad until the 20th. Can the parcel wait at the depot?
I accidentally placed the same order twice this morning.
I bought the chair in the sale, is the warranty the same?
The product page says "ships in 5-7 days". Does that include weekends?
I'm buying a present for someone in Spain. Can I ship it directly to them?
The item in my basket says "low stock". Should I order now?
I received a voucher code by email. How do I use it?
I want to buy the same lamp again but can't find it on the website.
I'm a teacher and would like to order for my class. Is there an invoice option?
My bank shows a pending amount from you. I haven't completed an order.
I signed up with my old work email, which I no longer have access to.
I'd like to change the delivery from my home to my office for order {order}.
My last order was delivered, but I never got a confirmation email.
The return label I printed has the wrong address on it. Should I still use it?
The jacket I ordered is a gift, and I'd like to hide the price.
I'd like to know whether the desk can be delivered to the second floor.
I have a question about the warranty for the vacuum I bought in 2022.
I'm not sure if my payment went through. Can you check?
I need to know the weight of the parcel for customs.
I only need one of the two chairs. Can I return the other?
""")

add("neutral", "more specific questions", """
Is the winter sale online only?
Does the discount apply to items already reduced?
How do I know if my gift card has been used?
Can I send a gift card to someone abroad?
What's your returns address in Austria?
Is there a charge for collecting a return from my home?
Do you have a returns point in Munich?
Is it possible to get a bigger box for fragile items?
Do you still sell the old model of this printer?
How long is the warranty on electronics?
Which size is equivalent to a UK 8?
What's the inside leg measurement on the 32 regular?
What does "final sale" mean?
Can I order a product that says "coming soon"?
What's the difference between the app price and the website price?
When does the new catalogue come out?
Is the cashmere jumper 100% cashmere?
Can the table be extended?
How many watts is the microwave?
Do the curtains come with hooks?
Does the bed include the slats?
What colour is "stone" exactly?
Is "one size" really one size fits all?
Can I order a replacement lid for the pan?
Are the headphones over-ear or on-ear?
Which charger does the tablet use?
Does the fridge come with a door-swap kit?
Is there a German manual included?
What's the difference between the Pro and the Plus?
Do you have this shirt in a long-sleeve version?
Is the pram suitable from birth?
Can I buy the cushion covers separately?
Do you sell refills for this?
Is it safe for pets?
How long is the shelf life of the coffee?
Is the jacket windproof?
Do you have wide-fit shoes?
Can I order extra screws?
Is the price per item or per pack?
Is the frame included with the print?
""")

add("neutral", "brand and news-like posts", """
New arrivals are online now.
The spring collection launches on Monday.
Our customer service hours change over the holidays.
Kizuna Store is opening a new warehouse near Leipzig.
The app update adds dark mode and a new order page.
The shop will be closed on the 25th and 26th of December.
Orders placed after 2pm ship the next working day.
The summer sale ends on Sunday.
Free returns apply to all orders within Germany.
Gift cards are available from 10 to 200 euros.
The online shop will be down for maintenance on Tuesday night.
Delivery times may be longer during the sale period.
We now accept Google Pay.
Prices include VAT.
The company was founded in 2015 in Berlin.
The store stocks over 20,000 products.
The loyalty programme has three tiers.
Black Friday deals start at midnight.
Returns can now be started in the app.
A new pick-up point opened in Cologne.
Parcel lockers are available in most German cities.
Kizuna Store announced a partnership with a new courier.
The winter catalogue is available as a PDF.
Standard delivery is free over 50 euros.
Express delivery costs 9.90 euros.
""")

add("neutral", "long neutral messages", """
Hi, I placed an order on Sunday evening for a grey sofa cover and two cushions. The confirmation email says 3-5 working days. Could you tell me which courier will bring it and whether I need to be home to sign?
Hello, I'd like to return the black boots from order {order} because they're a bit too big. Do I need to print a label, or can I just take the parcel to a drop-off point with the QR code?
Good afternoon, my company needs an invoice with our VAT number for the office chairs we ordered last week. The number is DE123456789. Could you send it to {email}?
Hi there, I'm planning to buy a gift card for my nephew who lives in Vienna. Can I send it straight to his email, and can he use it on the Austrian website?
Hello, I've just moved to a new flat and want to update my default delivery address. I also have an open order, {order}. Will it go to the old or the new address?
I ordered a desk and a chair together. The tracking shows two different parcels with different couriers. Is that expected, and will they arrive on the same day?
Could you tell me what happens if I'm not at home when the courier comes? I work until six most days and there's no one else in the building during the day.
Hi, I've got a question about payment. If I choose bank transfer, how many days do I have to pay before the order is cancelled, and do you reserve the item in the meantime?
Hello, I bought a coffee machine from you about eighteen months ago and want to know whether it's still under warranty, and what I'd need to send you to make a claim.
Hi, my mum would like to order from you but doesn't have an email address. Is it possible to place an order by phone and pay by invoice?
""")

add("neutral", "more neutral questions and statements", """
Which shoes are best for hiking?
I'm looking for a waterproof jacket for cycling.
Do you have anything similar but cheaper?
What would you recommend for a ten-year-old?
What's the most popular coffee machine?
Which sofa is the smallest?
I need a dress for a wedding in June.
I'm looking for a laptop for university.
Do you have any gifts for someone who likes gardening?
I need a charger for a Samsung phone.
Can you show me the new arrivals?
What's on sale right now?
Do you have the same lamp in a larger size?
I'm after a warm coat, something under 150 euros.
Do you have a list of bestsellers?
Show me black trainers in size 44.
Search for wool socks.
Filter by price, low to high.
I'd like to compare these two tablets.
Add the blue mug to my basket.
Remove the candle from my basket.
Please save this to my wishlist.
How much is the grey hoodie?
How much is the kettle after the discount?
How much would shipping be to Italy for two items?
What's the total with express delivery?
Is the price in euros?
I'll take the medium.
I'll go with the standard delivery.
I'd like the black one, please.
Two, please.
Just the one.
Let me think about it and come back later.
I'll order it tomorrow.
I'll need to check the measurements first.
I'm waiting for payday before I order.
I might come back for it in the sale.
I'm just browsing.
I'm only looking for now.
Nothing else for now.
That's all, thanks.
That's everything for today.
No, that's all I needed.
Okay, I'll try that.
Alright, I'll wait for the email.
Okay, I'll check again tomorrow.
Fine, I'll do the return online.
Sure, here is the order number: {order}
Sure, my email is {email}
Yes, the order was placed with {email}.
No, I paid by card.
Yes, I still have the box.
No, I haven't opened it.
Yes, it's the address on the account.
No, it was a guest order.
Yes, please send it to my office.
No, I don't have a tracking number.
I think it was the 15th, but I'm not sure.
It was either PayPal or Visa, I don't remember.
I'm not sure which size I ordered.
I think I ordered the 128 GB version.
""")

add("negative", "long complaints", """
I ordered a coat on the 2nd, paid for express delivery, and it's now the 16th. I've emailed three times, called twice and each time I'm told it's "with the courier". Nobody can tell me where it is and I'm done waiting.
This is my third message about the same problem. The replacement kettle you sent has exactly the same fault as the first one: it switches off before the water boils. I don't want another replacement, I want my money back.
I returned two pairs of jeans over a month ago. The tracking shows you received them on the 9th. Since then I've had automated emails saying my refund is "being processed" and nothing else. This is not acceptable.
Your courier left my parcel on the doorstep in the pouring rain without ringing the bell. The box was soaked through and the book inside is ruined. When I contacted you, I was told to take it up with the courier. Really?
I've been a customer for years and I've never written a complaint before, but this order has been a disaster from start to finish: wrong size, then a lost return, then a refund for the wrong amount.
I tried to pay three times because your checkout kept showing an error. Now my bank shows three charges, your site shows no order, and the support chat just tells me to wait five working days. I can't afford to have that money tied up.
The desk arrived with one leg missing and a cracked top. It took a week to get a reply, and the reply asked me to send photos I had already attached to my first email. I'm honestly losing patience with this whole process.
I asked for the parcel to be delivered to a pick-up point because I'm never home. Instead it went to my flat, nobody was there, and it's now been sent back to you. So I've paid for shipping twice and still don't have my order.
I was promised a callback from a supervisor within 24 hours. That was last Tuesday. I've since had two emails asking me to rate my experience. Here's my rating: terrible.
You advertised the sofa as "in stock, delivery in 5 days". Two weeks later I got an email saying it's on backorder until March. If you'd been honest I would have bought it elsewhere.
My account was locked after a password reset, and now I can't access my orders, my invoices or my saved addresses. I've sent ID twice and nobody has unlocked it. This has been going on for ten days.
I bought these boots specifically because the description said waterproof. First walk in light rain and my socks were soaked. Now you're telling me water resistance isn't covered. That's just misleading advertising.
I appreciate that mistakes happen, but I have now received the wrong item three times on the same order. Each time I have to package it up and go to the post office. My time is worth something too.
""")

add("negative", "more sarcasm and irony", """
Oh great, the package says delivered. To whom, I wonder?
Fantastic, another "your feedback matters" email. Clearly it doesn't.
Well, that's just brilliant. Broken again.
Yeah sure, I'll just wait forever, no problem at all.
Thanks for the update that my parcel is "delayed". Very informative.
What a wonderful idea to send the invoice to an email I deleted years ago.
Oh lovely, the discount code expired while I was typing it in.
Amazing, I'm now on hold for the third time today.
Such great quality, it lasted a whole afternoon.
Love getting an email about the sale the day after I paid full price.
Glad to see my complaint has been "escalated" into the void.
Really appreciate being asked for my order number for the fifth time.
Sure, I'll just take another day off work for the delivery you'll miss anyway.
Of course the tracking stopped updating. Why wouldn't it.
Impressive how you manage to be both slow and wrong.
Oh joy, the app update moved every button.
Excellent, the replacement is also the wrong colour. Consistency at least.
Bravo, a new record: four weeks for a refund.
Nice touch, sending me a "how was your delivery?" survey for a parcel I never received.
Wow, thanks, a 2 euro voucher. That totally makes up for the lost 90 euro order.
The "premium" packaging turned out to be one sheet of newspaper. Classy.
I see the "eco packaging" means a massive box for one tiny ring.
Oh fab, another shipping delay. Didn't see that coming.
Thanks heaps for the late delivery, the party was yesterday.
Right, because who needs working headphones anyway.
Cheers for emptying my basket right before checkout, really helpful.
Sure, I'll just go and re-enter my card details for the seventh time.
Good one, telling me to contact the courier who tells me to contact you.
Love that your live chat is only live when I'm asleep.
Ah yes, "next-day delivery". Which next day, exactly?
""")

add("negative", "more tweets and short posts", """
@kizunastore still waiting. Still nothing.
@kizunastore my patience has officially run out
@kizunastore 20 minutes in the chat queue 🙄
@kizunastore you've charged me for an order I cancelled
@kizunastore any plans to actually answer my email this month?
@kizunastore honestly disappointed, expected better
@kizunastore nothing but excuses
@kizunastore the boots fell apart after one week, not happy
@kizunastore please explain why my refund was reduced
@kizunastore wrong item AGAIN 😩
Why is it so hard to get a reply from @kizunastore
Lesson learned: never order anything important from @kizunastore
@kizunastore your app just ate my order and my money
@kizunastore I'm honestly shocked at how this was handled
@kizunastore what happened to your quality?? this used to be my go-to shop
@kizunastore paid for next day. Got next week.
Absolutely fuming with @kizunastore right now
@kizunastore the courier threw my parcel in a puddle
@kizunastore you marked my parcel delivered and it's nowhere. Sort it out.
@kizunastore do better.
@kizunastore not cool, cancelling my order without warning
@kizunastore refund pending since January. January!
Note to self: @kizunastore's "fast delivery" is a myth
@kizunastore third email this week, still no answer
@kizunastore your bot is driving me up the wall
""")

add("negative", "more product reviews 2", """
It looked nice for about a week, then the paint started chipping.
The strap broke the first time I wore it.
Not comfortable at all, the seams rub everywhere.
The size is way off, I'm usually an M and this M fits like an XS.
It arrived with a funny smell that still hasn't gone.
The speaker randomly turns itself off.
The lid cracked in the dishwasher even though it says dishwasher safe.
The colour in the photos is heavily edited, the real thing is dull.
The pillow is lumpy and flat.
These glasses steam up and slide down my nose constantly.
It's smaller than it looks in the pictures, barely fits a laptop.
The buttons fell off within days.
It overheats after twenty minutes of use.
The material pills after one wash.
The handle gets so hot you can't touch it.
The app never connects, so the device is basically useless.
Cheaply made and overpriced.
The zip teeth are misaligned so it keeps splitting.
The cushions are lumpy and go flat after a day.
Sound cuts out in the left ear.
The lock on the suitcase jammed on the first trip.
The cream stings my skin.
My feet ached after an hour in these "comfort" shoes.
Total rubbish, went in the bin.
The jacket isn't warm at all, I was freezing.
Disappointing quality for such a well-known brand.
It scratches if you so much as look at it.
The print is blurry and off-centre.
It wobbles on every surface.
I can't recommend it, sadly.
""")

add("negative", "more general opinion 2", """
The novel is bloated and could lose two hundred pages.
A tired, by-the-numbers action movie.
The jokes are painfully unfunny.
Beautiful to look at, but there's nothing underneath.
The story is confusing and the characters are flat.
It's like the writers gave up halfway through.
I walked out of the cinema halfway through.
The villain is laughable and not in a good way.
The ending completely undoes everything that came before.
The restaurant was noisy, cramped and overpriced.
The hotel breakfast was stale and the coffee was undrinkable.
Another soulless remake.
The new album is a huge step backwards.
Every episode felt like filler.
The game's servers are down more often than they're up.
The performances are embarrassingly over the top.
The book starts strong but collapses into cliché.
It's a chore to sit through.
Dull dull dull.
A mess from start to finish.
""")

add("positive", "service moments", """
The driver called ahead and waited while I came downstairs. So thoughtful.
Your warehouse packed my glasses so carefully that not one was even scratched.
I loved the little note that said "packed with care by Jonas".
The courier was super friendly and even helped carry it inside.
The agent remembered my previous issue without me having to explain again. Great.
I got a reply within ten minutes on a Saturday evening. Amazing.
You sent a replacement straight away and told me to keep the broken one. Very decent.
The chat was quick and friendly, and my address is updated now.
The refund was faster than my bank's own transfers.
The return QR code worked first time at the post office, so easy.
I appreciated the email letting me know about the delay before I had to ask.
Finally a company that owns its mistakes. Thank you for the apology and the fix.
You matched the lower price without any hassle, that was really nice of you.
The extended return period over Christmas was a lifesaver.
Your agent suggested a better size and she was absolutely right.
The live chat lady was a star.
I called about a missing screw and you posted a whole spare kit. Brilliant.
You gave me a courtesy discount for the delay, really wasn't necessary but thank you.
Your phone support answered on the first ring. Unheard of!
The delivery slot was exactly as promised, to the minute.
The app told me the driver was three stops away, and he was. Love it.
Great to be able to choose a parcel locker, so handy.
The packaging was all paper and cardboard, no plastic. Love that.
You sent the invoice within minutes of my request. Super efficient.
I've never had a return processed so quickly.
""")

add("positive", "more reviews and opinions", """
I'm really happy with the quality, it feels like it'll last years.
Looks great on, and the fabric doesn't crease.
The boots are so comfortable, like wearing slippers.
I've had it for six months now and it's still going strong.
The colour is beautiful and hasn't faded at all.
It's the best value kettle I've found.
The bag holds everything and still looks smart.
I bought one for myself and then ordered two more as gifts.
The picture quality on this TV is stunning.
My favourite purchase of the year so far.
Sturdier than I expected for the price.
The cushion covers transformed my sofa.
My plants are thriving in the new pots.
Comfortable, warm and looks fantastic.
Exactly what it says on the tin.
The coffee tastes like it came from a café.
Really lovely quality, the stitching is perfect.
Absolutely perfect for my needs.
It fits my small flat beautifully.
I bought it for my dad and he loves it.
The jeans are soft, stretchy and flattering. Love them.
Beautiful craftsmanship.
Simple, elegant and well made.
Light, warm and packs down small. Ideal for travel.
The charging case is tiny and the earbuds sound great.
Love the colour, love the fit, love the price.
Easy to clean, which is a huge plus.
Much better quality than I'm used to at this price.
It looks even better in person.
I'm very happy with this jacket, it's my new favourite.
""")

add("positive", "mixed and hedged, positive", """
Took a little while, but it was worth the wait.
Honestly, pretty good overall.
Better than I thought it would be.
Small issue with the box, but the item is lovely.
Not the fastest delivery, but great quality.
The price was a little high, but I'm really happy with it.
Slow start, but the customer service turned it around completely.
The app took some getting used to, but now I love it.
The return was a bit fiddly, but the refund came really quickly.
It's a simple product, but it does its job brilliantly.
I was about to complain, but then the parcel turned up and it's gorgeous.
I had a bad experience last year, but this time everything was perfect.
It took two tries, but the second delivery was spot on and the driver apologised.
Not what I ordered at first, but you fixed it within a day and added a little gift.
Not bad, actually quite good.
Pretty pleased overall.
Generally very good, would buy again.
Solid product, happy with it.
Good quality, fair price, quick delivery.
Decent quality and very comfortable.
""")

add("positive", "general opinion 3", """
The show is beautifully written and superbly acted.
A thoroughly enjoyable read.
A smart, stylish and genuinely scary horror film.
The dialogue is snappy and the jokes land.
The film's quiet moments are the most powerful.
An unexpectedly touching story about growing old.
The city tour was fantastic, we learned so much.
The conference was well run and really inspiring.
The waiter was attentive and the dessert was heavenly.
The band sounded even better live.
It's a visual feast.
The kind of film that reminds you why you love cinema.
The new phone is a joy to use.
The hostel was clean, cheap and friendly.
A confident, fun debut novel.
The final episode was perfect.
Incredibly well made.
I couldn't put it down.
Highly entertaining from start to finish.
Funny, smart and unexpectedly emotional.
A wonderfully warm film.
The author has a real gift for dialogue.
The graphics are gorgeous and the story is gripping.
The customer service at the airline was excellent for once.
My new dentist is gentle and kind.
""")

add("neutral", "more order and delivery questions", """
Can you check whether order {order} was delivered to the right address?
What name is the parcel addressed to?
Could you tell me how many parcels are in my shipment?
Does the tracking number change if the parcel is transferred to another courier?
Is the delivery date on the confirmation email an estimate?
What does "awaiting collection" mean?
What's the difference between "shipped" and "dispatched"?
Where can I see the delivery photo?
Who signed for the parcel?
Which depot is my parcel at?
Is Hermes delivering my order or DPD?
When does the courier usually deliver in my area?
Can I ask the courier to deliver after 6pm?
Does my parcel need a signature?
Can I give the courier a safe place in advance?
How do I reschedule a delivery?
How long will the depot keep my parcel?
Can someone else collect my parcel from the post office?
What ID do I need to collect a parcel?
Is the parcel insured?
Will I get a new tracking number for the replacement?
Is my order being shipped from Germany?
Has my replacement been sent yet?
Did my order go out today?
When is the next delivery attempt?
Is there any update on the delivery for order {order}?
Could you confirm the delivery address on order {order}?
Can you resend the tracking link?
The tracking link is for the order {order}, right?
Are both items in the same parcel?
Was my order split?
Which item is still to be shipped?
When will the remaining items ship?
Could you check where the second parcel is?
""")

add("neutral", "account and technical questions", """
Which browsers does your website support?
Is there a desktop version of the app?
How do I update the app?
What's the minimum Android version for the app?
How do I clear my basket?
Where do I find my saved cards?
How do I change my notification settings?
How do I switch the app to English?
Where do I find the order history in the app?
Can I log in with my phone number instead of email?
How long does the verification email take?
How do I change my security question?
How do I add a second email address?
Can I order for delivery to a friend's address without changing my default?
Where can I see my vouchers?
How do I link my loyalty card to my account?
How can I check my points balance?
How do I change the billing address?
Is my account the same for the app and the website?
Do I need an account to track an order?
How do I change the email for order notifications?
Can I turn off the marketing emails but keep the order emails?
Where do I manage my cookie settings?
How do I request a copy of my data?
How do I close my account?
I'd like to update my account email to {email}.
Can you send a password reset link to {email}?
I'm logged in as {email}.
The account holder is my wife, her email is {email}.
""")

add("neutral", "product and policy facts in chat", """
The order was placed on the website, not the app.
I chose the size based on your chart.
I ordered the 40 cm version.
The lamp I ordered is the white one.
I'm asking about the oak table, not the walnut one.
It's the dark green colour.
The item number is 448210.
The product is listed as "Coastal Linen Shirt".
It was in the autumn sale.
There were three items in the order.
I have the receipt from the shop.
The box is still sealed.
I bought it twelve days ago.
I'd prefer an exchange over a refund.
I'd prefer a refund rather than a voucher.
The return is for one pair of trousers.
I want to change size M to size L.
I only want to return the top.
The delivery note is in the box.
I've kept all the packaging.
It's the model with the white cable.
It's for a 13-inch laptop.
The warranty card is missing from the box, is that needed?
I need to send the item back for repair.
I'd like to order another one of the same.
It's for my office in Frankfurt.
The parcel weighs about 3 kg.
I'll drop the return off at the Packstation.
The order total was 112.40 euros.
The voucher code is WELCOME15.
""")

add("neutral", "neutral descriptive sentences 2", """
The story takes place over a single night.
The jumper is available in navy, grey and cream.
The film opens with a flashback.
The kettle has a removable filter.
The second half of the book switches to the daughter's perspective.
The phone comes with a USB-C cable but no charger.
The sofa cover is removable.
The game is set in a fictional version of Tokyo.
The chair can be adjusted in height and tilt.
The album has twelve tracks.
The main character is a retired detective.
The backpack has a padded laptop sleeve.
The movie was filmed in black and white.
The shoes have a removable insole.
The book was translated from Japanese.
The headphones fold flat for travel.
The documentary is narrated by the director.
The coat has two inside pockets.
The restaurant opens at noon.
The hotel has forty rooms.
The plot centres on a family inheritance.
The watch comes in two sizes.
The show is returning for a third season.
The table seats six people.
The sequel was shot back to back with the first film.
The bedding set includes two pillowcases.
The mattress has a ten-year guarantee.
The camera has a fold-out screen.
The story is narrated by a child.
The trainers are made from recycled materials.
The concert lasted about two hours.
The director is also the film's co-writer.
The lamp has three brightness settings.
The rug is made of wool and cotton.
The film was released in cinemas and online on the same day.
The toy is recommended for ages five and up.
The jeans have a mid-rise waist.
The drill comes with two batteries.
The author's previous book was a memoir.
The blender has five speed settings.
""")

add("neutral", "more short chat turns", """
order number?
which one?
how much?
how long?
when?
where?
why?
how?
what size?
which colour?
is it in stock?
still available?
any news?
update?
status please
tracking please
invoice please
refund status
delivery time?
shipping cost?
return label?
opening hours?
phone number?
email address?
the blue one
the big one
the cheaper one
this one
that one
not that one, the other one
the one from last week
both of them please
just the jacket
only the shoes
yes, that one
no, the other address
yes, correct
no, that's wrong, it's 42 not 41
correct
that's right
exactly
same as before
as above
see previous message
ok, and then?
and after that?
what else?
""")

add("positive", "more positive chat and tweets", """
Wow, that's sorted already? You're quick!
Oh brilliant, that's so much easier than I thought.
Honestly, that was the easiest return ever.
Just tried the new app, it's really slick.
Love the new checkout, so fast.
The tracking page is so clear now, nice update.
The live chat was genuinely helpful today.
That's really good service, thank you.
I'm very happy, thanks for everything.
Couldn't have gone better.
Love this shop so much.
Best decision ever to order from here.
Very satisfied, will shop again.
I'm a happy bunny.
Service was top-notch.
Really reliable, as always.
You never let me down.
This made my week!
What a great experience.
I'm smiling ear to ear.
@kizunastore you've made my kid very happy today 🎉
@kizunastore love the quick responses, keep it up!
@kizunastore such a smooth refund, thank you!
@kizunastore just wanted to say your team is brilliant
@kizunastore obsessed with my new rug 😍
@kizunastore never had a better return experience
@kizunastore my coat arrived and it's perfect, thank you!!
@kizuna_help thanks for the super fast fix 🙌
@kizunastore got my order in 24 hours. Unreal.
@kizunastore honestly impressed with the quality
Thank you @kizunastore for rescuing my Christmas 🎄
Huge thanks to @kizunastore for going above and beyond
@kizunastore 10/10 customer service today
@kizunastore five stars from me ⭐⭐⭐⭐⭐
@kizunastore keep being awesome
""")

add("positive", "more product praise 2", """
These earrings are so pretty and didn't irritate my ears at all.
The suit jacket is beautifully tailored.
The water bottle keeps drinks ice cold all day.
The kids' raincoat is brilliant, bright and properly waterproof.
The chef's knife is an absolute joy to use.
This mascara is the best I've ever tried.
The wireless charger works perfectly through my case.
The slippers are like walking on clouds.
The wall clock is stylish and totally silent.
The duvet cover feels like a luxury hotel.
The laptop stand fixed my posture, love it.
The bath towels are thick, soft and absorbent.
The mixer makes baking so much easier.
Great sound, great battery, great price.
The watch strap is comfortable and looks classy.
The planner is beautifully designed, I use it every day.
These leggings are squat-proof and so comfortable.
The fairy lights make the garden look magical.
The storage boxes are sturdy and stack perfectly.
The projector gives a surprisingly sharp picture.
The baby carrier is comfortable for both of us.
The silk scarf is gorgeous, a real treat.
The umbrella survived a proper storm. Impressed.
The microwave is simple to use and looks sleek.
The rain jacket actually keeps me dry, finally!
The dog lead is strong and comfy to hold.
The hiking boots were comfortable from the very first walk.
Love how lightweight this vacuum is.
The bed linen is soft and gets better with every wash.
The phone holder is sturdy and easy to adjust.
""")

add("positive", "understatement and British politeness", """
Rather pleased with this, I must say.
Quite good, actually.
That'll do nicely, thank you.
Not half bad!
Can't grumble at all.
Jolly good service.
Very decent indeed.
I must say, I'm impressed.
That's very good of you.
It's really rather lovely.
Pleasantly surprised.
Does the job rather well.
Happy with that, cheers.
Nice one, cheers.
That's sorted then, lovely.
Fair play, that was quick.
Proper job.
Can't complain, really good.
Not too bad at all, I'm happy.
Better than I expected, to be fair.
""")

add("positive", "general opinion 4", """
The trailer doesn't do it justice; the film is wonderful.
A great read for a rainy weekend.
Sharp writing, great cast, lovely ending.
The director handles the big emotional scenes beautifully.
Honestly the most fun I've had at the cinema in ages.
A heartwarming story with a brilliant central performance.
Beautiful, brave and unforgettable.
It made me laugh out loud several times.
A charming little book.
The service at the new bakery is lovely and the bread is amazing.
Easily the best meal I've had this year.
The hike was tough but the views were incredible.
A thrilling, edge-of-your-seat ride.
Smart, warm and beautifully observed.
The actors clearly had fun and it shows.
This app has made my mornings so much easier.
Wonderful atmosphere and friendly staff.
I recommend it to anyone who loves a good mystery.
A real gem of a film.
Every song on the album is a winner.
""")

add("negative", "more varied complaints", """
Order {order} still says "preparing" after nine days. What is there to prepare?
My invoice for order {order} has the wrong VAT rate and my accountant is not amused.
I've written to support from {email} four times now and nobody has replied.
The courier says the address doesn't exist. I've lived here for eleven years.
The parcel was delivered to a locker across town that I never chose.
Your delivery van blocked my driveway for half an hour and the driver was rude about it.
The driver clearly faked the signature.
My order was cancelled for "security reasons" with no further explanation. Very odd.
You asked me to send the item back, then refused the parcel. Now it's lost somewhere.
You've sent me the same apology email three times. Still no solution.
I've been told to "clear my cookies" more times than I can count.
The price went up between adding to basket and checking out.
I was charged for a bag I didn't ask for.
The coupon says "valid on all items" but it doesn't work on anything I want.
Your shipping costs are ridiculous for such a small item.
The minimum order for free delivery keeps going up.
I waited all day and the courier just updated the status to "customer not home". I was home.
The parcel is at a depot two hours away and they won't redeliver.
Two missed deliveries and now I have to pay to have it resent?
I feel like I'm being fobbed off.
This company has gone to the dogs.
Bitterly disappointed.
Totally fed up with the excuses.
Quite frankly, this has been a shambles.
Really poor form.
Not impressed one bit.
Well, that's annoying.
How annoying.
This is such a hassle.
What a palaver just to return a T-shirt.
Honestly, I'm gobsmacked at how bad this is.
Cheap, nasty and overpriced.
I'm livid.
I'm absolutely fuming.
Massively let down.
It's a total rip-off.
Dodgy as anything.
Such a letdown.
Lousy service, lousy product.
Seriously poor quality control.
My third complaint this year. Pattern, anyone?
I'm done. Cancel everything.
This was the worst birthday present disaster ever, and it's your fault.
I'm not paying for a product that doesn't work.
You should be ashamed of this service.
""")

add("negative", "more in-chat and short negatives", """
no it's not sorted
that's wrong, it's still not there
doesn't work, the page is blank
still getting the same error
nope, didn't help
you said that last time
I already did that. Twice.
that's literally what I just said
why won't it let me pay
the code is still invalid
same error again 😑
ugh, logged out again
this is so frustrating
you're useless
useless bot
worst bot ever
stupid app
terrible answer
great, so nothing then
fine, I'll go elsewhere
too late now
I give up
not happy with that response tbh
absolutely ridiculous
so disappointed rn
im so fed up
why is this happening again
cant believe this
this is a mess
what a disaster
bad service
not acceptable
nah, that's rubbish
meh, it's pretty bad
really? again?
oh come on
for god's sake
hopeless
a total shambles
sort it out
""")

add("negative", "more reviews and opinions 3", """
It looked promising but broke within the month.
The fit is terrible, baggy in the wrong places.
I returned it the next day, it was that bad.
Feels like it's made of cardboard.
The worst headphones I've ever owned.
Blurry screen, slow processor, awful battery.
Uncomfortable and way too hot to wear.
Nothing like the description.
The paint smells and it's peeling already.
It's noisy and leaks.
Not sturdy at all, it collapsed under a few books.
The batteries die in a day.
It tore the first time I put it on.
The colours ran in the wash and ruined everything.
The film is a slog.
The ending made me angry.
The acting is painful to watch.
Boring, predictable and far too long.
The food was cold and the staff didn't care.
Our holiday rental was dirty and nothing like the photos.
The hotel lost our booking and was rude about it.
The service was appalling from start to finish.
It's a cynical, lazy sequel.
The book is a complete waste of paper.
Overrated and dull.
""")

add("positive", "final extra praise", """
Fastest refund I've ever had, thank you!
The size exchange was painless and quick.
The new sofa is perfect, the delivery team were great.
I love how you always pack things so carefully.
Every order from you makes me happy.
The quality is consistently excellent.
Really friendly, helpful team.
Thank you for making online shopping easy again.
I love the new collection, so many nice pieces.
Delivery was quick and the item is beautiful.
Such good value, I'm impressed.
So comfy I bought it in three colours.
Totally in love with my new boots.
My order was perfect, thank you!
The customer service agent was a delight.
Brilliant support, brilliant shop.
Thanks for the super quick response, you made my day.
You've been fantastic throughout.
Everything went smoothly, very happy.
This exceeded all my expectations, thank you.
Loving the new jacket, thank you so much!
Superb service and a really lovely product.
Grateful for such quick help, thanks a lot.
Impressive turnaround, cheers!
What a lovely team you have.
Brilliant, everything arrived safe and sound.
Great value and super fast, love it.
Thank you, this is exactly right.
Gorgeous quality, I'm so pleased.
Absolutely love it, thanks guys!
""")

add("neutral", "extra neutral messages", """
Could you tell me if the green jacket is made in Europe?
Does the 5-pack of socks come in mixed colours?
Is the coffee machine available in white?
When do you usually restock shoes?
Is there a way to filter by sustainable products?
Do you have a size 46 in the hiking boots?
Is the oven glove heat resistant up to 250 degrees?
Are the bed sheets fitted or flat?
How many cups does the teapot hold?
Do the bike lights come with a USB cable?
Is this jacket suitable for skiing?
Is the watch battery replaceable?
Is the rucksack cabin-bag size?
Do you stock spare filters for the water jug?
What material is the sole made of?
I'd like to order the same jumper in another colour.
I'll need the invoice by the end of the month.
My order was a birthday present, so the delivery date matters.
I'm collecting for my brother, he gave me the reference.
I received a text with a delivery code. What's it for?
The driver asked for a PIN. Where do I find it?
Is the PIN the same as the order number?
The order is under my maiden name.
I've got two accounts by mistake, one with {email}.
The parcel is addressed to my company, Weber & Sons.
I'm contacting you about a warranty question.
I'm contacting you about an invoice.
I'm contacting you about order {order}.
This is regarding the return I sent last week.
Following up on my email from yesterday.
Just checking you got my photos.
Could you confirm my return was received?
Please let me know when the refund is issued.
Please confirm the new delivery date.
Let me know if you need anything else from me.
I'll be available on the phone after 3pm.
You can reach me at {email}.
My number is on the account.
I'm in the UK, so please quote prices in pounds if possible.
Do you have a UK website?
Is your shop the same as the one on Amazon?
Do you sell second-hand or refurbished items?
How does the refurbished grading work?
What does "B-grade" mean on a product?
Is there a repair service for shoes?
Do you collect old electronics for recycling?
Can I order samples of fabric?
Do you engrave jewellery?
How long does engraving take?
Do you offer installation for washing machines?
""")

add("positive", "extra positive messages", """
Ordered a last-minute gift and it arrived with a day to spare. Thank you!
The fabric samples were really helpful, I'm delighted with the curtains.
The engraving came out beautifully.
The refurbished laptop looks brand new, really impressed.
The installation team were quick, tidy and very polite.
The shoe repair service was excellent, they look like new.
Loved the recycling scheme, so easy to hand in my old phone.
The fitting advice from your chat assistant was spot on.
The UK delivery was faster than I expected from Germany.
Everything was exactly as described, thank you.
Lovely quality, arrived quickly, great communication.
So pleased I found you, the prices are great.
I appreciate the quick and friendly replies.
It was such an easy process from start to finish.
My order arrived beautifully packaged, as always.
Simply the best online shop I know.
Very helpful staff, very quick service.
Great experience, highly recommended.
Gorgeous product, gorgeous packaging.
Quick reply, problem solved, happy customer.
Another flawless order, thank you!
My mum loves her new slippers, thank you.
The winter boots are fabulous.
Wow, the colour is stunning in person.
Thanks to your help I got the right size first time.
Really quick exchange, thank you so much.
Perfect fit and lovely material.
Couldn't be happier with the service today.
Genuinely lovely people to deal with.
A brilliant shop with brilliant service.
""")

add("negative", "extra negatives", """
The refurbished phone had a dead battery and a cracked camera lens.
The engraving was spelled wrong. It's a wedding gift.
The installers scratched my floor and left the packaging behind.
The fabric samples took a month to arrive, by which time I'd bought curtains elsewhere.
Your UK shipping is painfully slow and the customs fees were a shock.
The "B-grade" item was more like a D.
The shoe repair made them worse.
I never received the PIN for the delivery, so the driver took the parcel away again.
Your recycling scheme never sent the voucher they promised.
The teapot leaks from the spout every time.
The bike lights stopped working after one ride in the rain.
The hiking boots leaked on the first hike.
I'm really annoyed that the sale price didn't apply.
It's really disappointing that no one has called me back.
I'm unhappy with the way my complaint was handled.
Sorry, but this is simply not good enough.
Very unhappy with this order.
I'm really not pleased with this.
This is honestly the last time I order from you.
I expected much better.
""")


# ---------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------

FIRST = ["anna", "ben", "chloe", "david", "elif", "felix", "grace", "hannah", "ivan",
         "julia", "karim", "lena", "marco", "nina", "oliver", "priya", "quentin",
         "rosa", "sam", "tom", "ursula", "vik", "wei", "yusuf", "zoe"]
LAST = ["mueller", "schmidt", "khan", "novak", "rossi", "smith", "tanaka", "garcia",
        "weber", "kowalski", "obrien", "jansen", "silva", "fischer", "nguyen"]
DOMAINS = ["gmail.com", "web.de", "gmx.de", "outlook.com", "yahoo.co.uk",
           "icloud.com", "posteo.de", "hotmail.com", "t-online.de", "proton.me"]


def fill_placeholders(text: str, rng: random.Random) -> str:
    def order(_m: re.Match) -> str:
        return str(rng.randint(10000, 99999))

    def email(_m: re.Match) -> str:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        style = rng.randrange(4)
        local = [f"{first}.{last}", f"{first}{last}{rng.randint(1, 99)}",
                 f"{first[0]}{last}", f"{first}_{last}"][style]
        return f"{local}@{rng.choice(DOMAINS)}"

    def amount(_m: re.Match) -> str:
        return f"{rng.randint(9, 240)}.{rng.choice(['00', '90', '95', '99', '49'])}"

    text = re.sub(r"\{order\}", order, text)
    text = re.sub(r"\{email\}", email, text)
    text = re.sub(r"\{amount\}", amount, text)
    return text


def normalise(text: str) -> str:
    """De-duplication key: lowercase letters plus emoji/symbols.

    Punctuation, digits and whitespace are stripped; a run of the same emoji
    counts once (so "👍👍" == "👍"), and emoji are kept so that emoji-only
    replies such as "👍" and "👎" stay distinct.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    kept = [ch for ch in text if ch.isalpha() or unicodedata.category(ch) == "So"]
    out: list[str] = []
    for ch in kept:
        if not ch.isalpha() and out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def build_rows() -> tuple[list[tuple[str, str]], int]:
    rng = random.Random(SEED)
    rows: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    dropped = 0
    conflicts: list[str] = []
    for label, _topic, block in BLOCKS:
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            text = fill_placeholders(line, rng)
            key = normalise(text)
            if key in seen:
                dropped += 1
                if seen[key] != label:
                    conflicts.append(f"{text!r}: {seen[key]} vs {label}")
                continue
            seen[key] = label
            rows.append((text, label))
    if conflicts:
        raise SystemExit("conflicting labels after normalisation:\n" + "\n".join(conflicts))
    return rows, dropped


def write_csv(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(["text", "label"])
        writer.writerows(rows)


def main() -> None:
    rows, dropped = build_rows()
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    shuffled = [rows[i] for i in order]
    n_heldout = round(len(shuffled) * HELDOUT_FRACTION)
    heldout, train = shuffled[:n_heldout], shuffled[n_heldout:]

    train_keys = {normalise(t) for t, _ in train}
    assert not any(normalise(t) in train_keys for t, _ in heldout), "heldout/train overlap"

    write_csv(HERE / "train.csv", train)
    write_csv(HERE / "heldout.csv", heldout)

    print(f"rows: {len(rows)} (near-duplicates dropped: {dropped})")
    labels = ["negative", "neutral", "positive"]
    for name, split in (("train", train), ("heldout", heldout), ("all", rows)):
        c = Counter(label for _, label in split)
        parts = ", ".join(f"{l} {c[l]} ({c[l] / len(split):.1%})" for l in labels)
        print(f"{name:8s} {len(split):5d}: {parts}")

    show = random.Random(SEED + 1)
    for label in labels:
        pool = [t for t, l in rows if l == label]
        print(f"\n10 random {label} rows:")
        for t in show.sample(pool, 10):
            print(f"  {t}")


if __name__ == "__main__":
    main()
