/**
 * Words that carry no topic in a citizen's question. Question words ("donde", "como", "cuando")
 * are here on purpose: they hurt passage ranking (the intent is in the nouns). Words that change
 * the meaning of a question about coverage ("no", "sin") are NOT here.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a al algo algun alguna algunas alguno algunos ante antes asi aun aunque bajo bien cada casi como con contra cual cuales
  cualquier de del desde donde dos el ella ellas ello ellos en entre era eran eres es esa esas ese eso esos esta estaba
  estamos estan estar estas este esto estos estoy fue fueron fui ha hace hacia han has hasta hay he la las le les
  lo los mas me mi mis mucho muy nada ni nos nosotros nuestra nuestro o os otra otro para pero poco por porque pues que quien
  quienes se sea ser si sido sobre solo son soy su sus tal tambien tan tanto te tenia ti tu tus un una uno unos usted ustedes
  va vamos van y ya yo oiga oye oigan disculpe disculpa favor buenas buenos buen dias tardes noches hola saludos gracias
  quiero quisiera queria necesito puedo podria puede pueden saber sabe sabes pregunta preguntar duda dudas ayuda ayudar
  ahorita ahora entonces osea bueno pos ok okey vale fijese fijate mire mira dime diga digame vi
  aqui ahi alla eh ah ay jaja jajaja jeje porfavor hacer hago haces tengo tiene tienen tienes tener`
    .split(/\s+/)
    .filter(Boolean),
);
