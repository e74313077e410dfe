using System.Globalization;
using System.Text;
using ServerlessML.Data;

namespace ServerlessML.Tests.Data;

public sealed class NumberParserTests
{
    [Test]
    public void TryParse_AnyTextAsBytesOrChars_AgreesWithFloatTryParse()
    {
        var random = new Random(11);
        var texts = new List<string> { "0", "-0", "+1", "1.", ".5", "-.25", "16777216", "16777217", "0.0000000001", "123456789", "1e5", "-2.5E-3", "NaN", "Infinity", "-Infinity", "1,5", "1.2.3", "", "-", ".", "0x10", "12a" };
        for (var i = 0; i < 100_000; i++)
        {
            var value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9));
            texts.Add(value.ToString(random.Next(3) switch { 0 => "R", 1 => "F4", _ => "G6" }, CultureInfo.InvariantCulture));
        }

        foreach (var text in texts)
        {
            var expectedOk = float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);

            var ok = NumberParser.TryParse(Encoding.UTF8.GetBytes(text), out var actual);
            var okFromChars = NumberParser.TryParse(text.AsSpan(), out var fromChars);

            Assert.That(ok, Is.EqualTo(expectedOk), text);
            Assert.That(okFromChars, Is.EqualTo(expectedOk), text);
            if (ok)
            {
                Assert.That(BitConverter.SingleToInt32Bits(actual), Is.EqualTo(BitConverter.SingleToInt32Bits(expected)), text);
                Assert.That(BitConverter.SingleToInt32Bits(fromChars), Is.EqualTo(BitConverter.SingleToInt32Bits(expected)), text);
            }
        }
    }
}
